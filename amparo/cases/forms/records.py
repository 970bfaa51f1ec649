"""Forms of what is recorded in a case: what happened, consents, assessments, the plan,
services, follow-ups, notes and documents."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from amparo.accounts.models import User
from amparo.cases import choices
from amparo.cases.forms.common import VersionedForm, _ubigeo_code, _vocabularies
from amparo.core.forms import BLANK, DATE, StyledFormMixin
from amparo.reference.forms import UbigeoField


class EpisodeForm(StyledFormMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    kind = forms.ChoiceField(label=_("What happened"), choices=BLANK + choices.EpisodeKind.choices)
    place = UbigeoField(label=_("Place in Peru"), required=False)
    place_country = forms.ChoiceField(label=_("…or country"), required=False)
    started_on = forms.DateField(label=_("From"), required=False, widget=DATE)
    ended_on = forms.DateField(label=_("Until"), required=False, widget=DATE)
    period = forms.CharField(label=_("Period, if the dates are not known"), required=False,
                             max_length=120)
    sexual_types = forms.MultipleChoiceField(label=_("Type of sexual exploitation"),
                                             required=False, widget=forms.CheckboxSelectMultiple)
    means = forms.MultipleChoiceField(label=_("Means"), required=False,
                                      widget=forms.CheckboxSelectMultiple)
    control = forms.MultipleChoiceField(label=_("Methods of control"), required=False,
                                        widget=forms.CheckboxSelectMultiple)
    recruitment = forms.ChoiceField(label=_("Recruitment modality"), required=False)
    recruiter_relation = forms.ChoiceField(label=_("Relation to the recruiter"), required=False)
    sector = forms.ChoiceField(label=_("Sector (ISIC)"), required=False)
    ended_by = forms.ChoiceField(label=_("How it ended"), required=False,
                                 choices=BLANK + choices.EpisodeEnd.choices)
    description = forms.CharField(label=_("Account"), required=False, max_length=20000,
                                  widget=forms.Textarea(attrs={"rows": 4}),
                                  help_text=_("Stored encrypted."))
    perpetrators = forms.CharField(
        label=_("Recruiters and traffickers"), required=False, max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Names, aliases, descriptions, vehicles, places. Stored encrypted."))
    # Last, because its name hides the `forms` module in the rest of the class body.
    forms = forms.MultipleChoiceField(label=_("Forms of exploitation"), required=False,
                                      widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from amparo.cases.validation import EPISODE_VOCABULARIES

        _vocabularies(self, EPISODE_VOCABULARIES)

    def episode_data(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items()
                if k not in ("place", "description", "perpetrators", "version")}
        data["place_ubigeo"] = _ubigeo_code(self.cleaned_data.get("place"))
        return data


class ConsentForm(StyledFormMixin, forms.Form):
    scope = forms.ChoiceField(label=_("For"), choices=BLANK + choices.ConsentScope.choices)
    given = forms.TypedChoiceField(label=_("Decision"), coerce=lambda v: v == "si",
                                   choices=[("si", _("Gives consent")),
                                            ("no", _("Refuses or withdraws"))],
                                   widget=forms.RadioSelect)
    decided_on = forms.DateField(label=_("Date"), widget=DATE, initial=timezone.localdate)
    given_by = forms.ChoiceField(label=_("Decided by"), choices=choices.ConsentGiver.choices)
    form = forms.ModelChoiceField(label=_("Signed form"), queryset=None, required=False,
                                  help_text=_("Upload it first in Documents."))
    note = forms.CharField(label=_("Note"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        # A signed form is a general document: psychological and legal ones are not offered
        # (their titles are not everyone's to read).
        self.fields["form"].queryset = case.documents.filter(
            sensitivity=choices.Sensitivity.GENERAL).select_related("data_key")  # titles sealed
        self.fields["form"].label_from_instance = lambda d: d.title


class AssessmentForm(StyledFormMixin, forms.Form):
    assessed_on = forms.DateField(label=_("Date"), widget=DATE, initial=timezone.localdate)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        scale = [("", "—")] + [(str(k), v) for k, v in choices.SCORE_LABELS.items()]
        for domain in choices.Domain:
            self.fields[f"score_{domain.value}"] = forms.TypedChoiceField(
                label=domain.label, choices=scale, coerce=int, empty_value=None, required=False)
            self.fields[f"note_{domain.value}"] = forms.CharField(
                label=_("Note"), required=False, max_length=2000,
                widget=forms.Textarea(attrs={"rows": 1}))
        for name, field in self.fields.items():
            if name.startswith("score_"):
                field.widget.attrs["class"] = "form-select"
            elif name.startswith("note_"):
                field.widget.attrs["class"] = "form-control"

    def domain_rows(self):
        return [(self[f"score_{d.value}"], self[f"note_{d.value}"]) for d in choices.Domain]

    def scores(self) -> dict[str, int]:
        return {d.value: self.cleaned_data[f"score_{d.value}"] for d in choices.Domain
                if self.cleaned_data.get(f"score_{d.value}") is not None}

    def notes(self) -> dict[str, str]:
        return {d.value: self.cleaned_data.get(f"note_{d.value}", "") for d in choices.Domain}


PLAN_GOAL_ROWS = 5


class PlanForm(StyledFormMixin, forms.Form):
    horizon = forms.ChoiceField(label=_("Horizon she chose"), choices=choices.Horizon.choices,
                                widget=forms.RadioSelect)
    review_on = forms.DateField(label=_("Review on"), required=False, widget=DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for i in range(PLAN_GOAL_ROWS):
            self.fields[f"domain_{i}"] = forms.ChoiceField(
                label=_("Domain"), required=False, choices=BLANK + choices.Domain.choices,
                widget=forms.Select(attrs={"class": "form-select"}))
            self.fields[f"goal_{i}"] = forms.CharField(
                label=_("Goal, in her words"), required=False, max_length=300,
                widget=forms.TextInput(attrs={"class": "form-control"}))

    def goal_rows(self):
        return [(self[f"domain_{i}"], self[f"goal_{i}"]) for i in range(PLAN_GOAL_ROWS)]

    def goals(self) -> list[tuple[str, str]]:
        rows = [(self.cleaned_data.get(f"domain_{i}"), self.cleaned_data.get(f"goal_{i}"))
                for i in range(PLAN_GOAL_ROWS)]
        return [(d or "", g) for d, g in rows if g]


def staff_of(case):
    """Active users with a role in the case's office."""
    return User.objects.filter(is_active=True, role_assignments__office=case.office_id).distinct()


class PlanActionForm(StyledFormMixin, forms.Form):
    description = forms.CharField(label=_("Action"), max_length=300)
    owner = forms.ModelChoiceField(label=_("Responsible"), queryset=None, required=False)
    due_on = forms.DateField(label=_("Due on"), required=False, widget=DATE)

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = staff_of(case)
        self.fields["owner"].label_from_instance = lambda u: u.display_name


class PlanActionStatusForm(VersionedForm):
    status = forms.ChoiceField(label=_("Status"), choices=choices.ActionStatus.choices)


class ServiceForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Service"), choices=BLANK + choices.ServiceKind.choices)
    mode = forms.ChoiceField(label=_("Mode"), choices=choices.Mode.choices,
                             widget=forms.RadioSelect,
                             initial=choices.Mode.IN_PERSON)
    delivered_on = forms.DateField(label=_("Date"), widget=DATE, initial=timezone.localdate)
    minutes = forms.IntegerField(label=_("Duration (minutes)"), required=False, min_value=1,
                                 max_value=1440)
    staff = forms.ModelChoiceField(label=_("Staff"), queryset=None)
    note = forms.CharField(label=_("Note"), required=False, max_length=5000,
                           widget=forms.Textarea(attrs={"rows": 2}),
                           help_text=_("Stored encrypted."))

    def __init__(self, *args, case, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = staff_of(case)
        self.fields["staff"].label_from_instance = lambda u: u.display_name
        self.fields["staff"].initial = user.pk


class FollowUpForm(StyledFormMixin, forms.Form):
    contacted_on = forms.DateField(label=_("Date"), widget=DATE, initial=timezone.localdate)
    channel = forms.ChoiceField(label=_("Channel"), choices=BLANK + choices.Channel.choices)
    reached = forms.TypedChoiceField(label=_("Was she reached?"), coerce=lambda v: v == "si",
                                     choices=[("si", _("Yes")), ("no", _("No"))],
                                     widget=forms.RadioSelect)
    wellbeing = forms.ChoiceField(label=_("How she is"), required=False,
                                  choices=BLANK + choices.Wellbeing.choices)
    risk_signs = forms.MultipleChoiceField(label=_("Risk signs seen"), required=False,
                                           choices=choices.RiskSign.choices,
                                           widget=forms.CheckboxSelectMultiple)
    note = forms.CharField(label=_("Note"), required=False, max_length=5000,
                           widget=forms.Textarea(attrs={"rows": 2}),
                           help_text=_("Stored encrypted."))


class NoteForm(StyledFormMixin, forms.Form):
    sensitivity = forms.ChoiceField(label=_("Who may read it"), choices=choices.Sensitivity.choices)
    text = forms.CharField(label=_("Note"), max_length=20000,
                           widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, allowed: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        labels = {
            "general": _("Everyone on the case"),
            "psychological": _("Psychological: only the case's psychologist"),
            "legal": _("Legal: only the case's lawyer"),
        }
        self.fields["sensitivity"].choices = [(s, labels[s]) for s in allowed]


class DocumentForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=BLANK + choices.DocumentKind.choices)
    sensitivity = forms.ChoiceField(
        label=_("Who may open it"), required=False,
        choices=[("", _("As its kind says (a medical or psychological report: the psychologist)"))]
        + choices.Sensitivity.choices)
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    file = forms.FileField(label=_("File"), help_text=_(
        "PDF, photo (JPG, PNG, WebP), Word or OpenDocument; at most 20 MB. Stored encrypted."))
