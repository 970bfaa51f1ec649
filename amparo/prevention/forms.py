"""Forms of the prevention pages: they parse and offer choices; the services decide."""

from __future__ import annotations

from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from amparo.accounts.models import User
from amparo.core.forms import BLANK, DATE, StyledFormMixin
from amparo.prevention import choices
from amparo.prevention.models import ActivityDocument
from amparo.reference.forms import UbigeoField
from amparo.reference.models import Department
from amparo.reference.selectors import terms_of

MULTI = forms.CheckboxSelectMultiple


class ActivityForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=BLANK + choices.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    office = forms.ModelChoiceField(label=_("Office"), queryset=None)
    starts_on = forms.DateField(label=_("Starts on"), widget=DATE)
    ends_on = forms.DateField(label=_("Last day"), widget=DATE, required=False,
                              help_text=_("Only if it lasts more than one day."))
    status = forms.ChoiceField(label=_("Status"), choices=choices.Status.choices)
    ubigeo = UbigeoField(label=_("Place"), required=False)
    place_name = forms.CharField(
        label=_("Venue"), max_length=200, required=False,
        help_text=_("A public place (a court, a school, a community hall). For a shelter write "
                    "\"centro de acogida\" and the district, never its address."))
    audiences = forms.MultipleChoiceField(label=_("Audiences"), choices=choices.Audience.choices,
                                          widget=MULTI, required=False)
    topics = forms.MultipleChoiceField(label=_("Topics (the curriculum)"),
                                       choices=choices.Topic.choices, widget=MULTI,
                                       required=False)
    hours = forms.DecimalField(label=_("Hours"), min_value=0, max_digits=5, decimal_places=1,
                               required=False)
    partners = forms.ModelMultipleChoiceField(label=_("Partner institutions"), queryset=None,
                                              required=False)
    facilitators = forms.ModelMultipleChoiceField(label=_("Facilitators from the team"),
                                                  queryset=None, required=False)
    project = forms.CharField(label=_("Project or donor"), max_length=200, required=False)
    external_facilitators = forms.CharField(label=_("Facilitators from outside the team"),
                                            max_length=300, required=False)
    min_attendance = forms.IntegerField(label=_("Attendance needed to complete (%)"),
                                        min_value=0, max_value=100, initial=80)
    test_max = forms.DecimalField(label=_("Highest test score"), min_value=0, max_digits=6,
                                  decimal_places=1, required=False,
                                  help_text=_("Leave empty if there is no pre- and post-test."))
    post_test_required = forms.BooleanField(label=_("The post-test is needed to complete"),
                                            required=False)
    test_questions = forms.CharField(
        label=_("Test questions, one per line"), required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Optional. With them, the team marks which questions each person answered "
                    "right and Amparo shows what was learnt question by question."))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, offices, institutions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = offices
        if len(offices) == 1:  # her only office: chosen for her
            self.initial.setdefault("office", offices[0])
        self.fields["partners"].queryset = institutions
        self.fields["facilitators"].queryset = User.objects.filter(
            is_active=True, role_assignments__office__in=offices).distinct().order_by(
            "first_name", "last_name")
        self.fields["facilitators"].label_from_instance = lambda u: u.display_name
        if "starts_on" not in self.initial:
            self.initial["starts_on"] = timezone.localdate()
        if isinstance(self.initial.get("test_questions"), list):
            self.initial["test_questions"] = "\n".join(self.initial["test_questions"])

    def activity_data(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items()
                if k not in ("partners", "facilitators", "version")}
        data["ubigeo"] = data["ubigeo"] or ""
        data["test_questions"] = data["test_questions"].splitlines()
        return data


class PersonForm(StyledFormMixin, forms.Form):
    """One line of an attendance list."""

    given_names = forms.CharField(label=_("Given names"), max_length=120)
    surnames = forms.CharField(label=_("Surnames"), max_length=120, required=False)
    sex = forms.ChoiceField(label=_("Sex"), required=False)
    document_number = forms.CharField(label=_("DNI or other document"), max_length=30,
                                      required=False)
    audience = forms.ChoiceField(label=_("Profession or role"),
                                 choices=[("", _("Choose her profession or role")),
                                          *choices.Audience.choices])
    institution = forms.CharField(label=_("Institution"), max_length=200, required=False)
    department = forms.ChoiceField(label=_("Department"), required=False)
    hours = forms.DecimalField(label=_("Hours attended"), min_value=0, max_digits=5,
                               decimal_places=1, required=False,
                               help_text=_("Empty: the whole activity."))
    contact = forms.CharField(label=_("Phone or e-mail"), max_length=200, required=False,
                              help_text=_("Stored encrypted."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sex"].choices = BLANK + [(t.code, t.label) for t in terms_of("sexo")]
        self.fields["department"].choices = BLANK + [
            (d.code, d.name) for d in Department.objects.all()]


class ScoreForm(StyledFormMixin, forms.Form):
    participant = forms.ModelChoiceField(label=_("Participant"), queryset=None)
    phase = forms.ChoiceField(label=_("Test"), choices=choices.Phase.choices)
    score = forms.DecimalField(label=_("Score"), min_value=0, max_digits=6, decimal_places=1,
                               required=False)
    right = forms.MultipleChoiceField(label=_("Questions answered right"), widget=MULTI,
                                      required=False)

    def __init__(self, *args, participants, questions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        self.fields["participant"].queryset = participants
        self.fields["participant"].label_from_instance = lambda p: p.full_name
        if self.questions:
            self.fields["right"].choices = [(str(n), f"{n}. {text}")
                                            for n, text in enumerate(self.questions, 1)]
            self.fields["score"].help_text = _(
                "Mark the questions she answered right and leave the score empty: it is worked "
                "out. Write the score alone only if her answers are lost.")
        else:
            del self.fields["right"]

    def score_data(self) -> dict:
        """The service's arguments: the marks as one per question (right or not), when any
        question is marked; otherwise the score alone."""
        data = {k: self.cleaned_data[k] for k in ("participant", "phase", "score")}
        right = {int(n) for n in self.cleaned_data.get("right") or []}
        if right and data["phase"] != choices.Phase.REACTION:
            data["answers"] = [n in right for n in range(1, len(self.questions) + 1)]
        return data


class DocumentForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=BLANK + ActivityDocument.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    file = forms.FileField(label=_("File (PDF, photo or text)"))


class ReachForm(StyledFormMixin, forms.Form):
    estimated_audience = forms.IntegerField(label=_("Estimated audience"), min_value=0)
    source = forms.CharField(label=_("Source of the figure"), max_length=200,
                             help_text=_("For example: the radio's audience study, 2023."))
    method = forms.CharField(label=_("How it was estimated"), max_length=500,
                             widget=forms.Textarea(attrs={"rows": 2}))
    mentions = forms.IntegerField(label=_("Calls or reports that mention the campaign"),
                                  min_value=0, required=False)


class RangeForm(forms.Form):
    """The dashboard's range: from the start of the year to today unless chosen."""

    desde = forms.DateField(label=_("From"), widget=DATE, required=False)
    hasta = forms.DateField(label=_("To"), widget=DATE, required=False)

    def range(self) -> tuple[date, date]:
        today = timezone.localdate()
        data = self.cleaned_data if self.is_valid() else {}
        start = data.get("desde") or today.replace(month=1, day=1)
        end = data.get("hasta") or today
        return (start, end) if start <= end else (end, start)
