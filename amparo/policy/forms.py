"""Forms of the watchdog's pages: they parse and offer choices; the services decide."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from amparo.core.forms import BLANK, DATE, StyledFormMixin
from amparo.policy import choices
from amparo.policy.models import Guideline, Instrument, Service
from amparo.reference.models import Department
from amparo.referrals.models import Institution

AREA = forms.Textarea(attrs={"rows": 3})


def _departments(blank_label=None) -> list:
    first = [("", blank_label)] if blank_label else BLANK
    return first + [(d.code, d.name) for d in Department.objects.all()]


class ServiceForm(StyledFormMixin, forms.Form):
    number = forms.IntegerField(label=_("Number"), min_value=1, max_value=999)
    name = forms.CharField(label=_("Service"), widget=AREA)
    guideline = forms.ModelChoiceField(label=_("Guideline"), queryset=None, required=False)
    receptor = forms.CharField(label=_("Who receives it"), max_length=300, required=False)
    condition = forms.ChoiceField(label=_("Condition"), choices=choices.Condition.choices,
                                  required=False)
    provider = forms.CharField(label=_("Provider entity"), max_length=200, required=False)
    axis = forms.ChoiceField(label=_("Report axis"), required=False,
                             choices=BLANK + choices.Axis.choices)
    standards = forms.CharField(label=_("Standards of compliance"), widget=AREA, required=False)
    known = forms.BooleanField(label=_("Texts confirmed against the policy's annex"),
                               required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, instrument: Instrument, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["guideline"].queryset = Guideline.objects.filter(
            objective__instrument=instrument).select_related("objective")
        self.fields["guideline"].label_from_instance = lambda g: f"{g.code}. {g.text[:90]}"


class GuidelineForm(StyledFormMixin, forms.Form):
    text = forms.CharField(label=_("Text"), widget=AREA)
    known = forms.BooleanField(label=_("Text confirmed against the policy's annex"),
                               required=False)


class IndicatorForm(StyledFormMixin, forms.Form):
    objective = forms.ModelChoiceField(label=_("Objective"), queryset=None)
    service = forms.ModelChoiceField(label=_("Service (if it measures one)"), queryset=None,
                                     required=False)
    name = forms.CharField(label=_("Indicator"), widget=AREA)
    unit = forms.CharField(label=_("Unit"), max_length=60, required=False)
    baseline_year = forms.IntegerField(label=_("Baseline year"), min_value=2000,
                                       max_value=2100, required=False)
    baseline = forms.DecimalField(label=_("Baseline"), max_digits=14, decimal_places=2,
                                  required=False)
    targets = forms.CharField(label=_("Targets by year"), required=False,
                              widget=forms.Textarea(attrs={"rows": 3}),
                              help_text=_("One per line, “year: value”, such as “2030: 70”."))
    known = forms.BooleanField(label=_("Confirmed against the policy's indicator sheet"),
                               required=False)

    def __init__(self, *args, instrument: Instrument, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["objective"].queryset = instrument.objectives.all()
        self.fields["service"].queryset = Service.objects.filter(instrument=instrument)
        self.fields["service"].label_from_instance = lambda s: f"{s.number}. {s.name[:80]}"
        if isinstance(self.initial.get("targets"), dict):
            self.initial["targets"] = "\n".join(
                f"{year}: {value}" for year, value in self.initial["targets"].items())


class EvidenceForm(StyledFormMixin, forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int)
    department = forms.ChoiceField(label=_("Region"), required=False)
    budget_assigned = forms.DecimalField(label=_("Budget assigned (PEN)"), min_value=0,
                                         max_digits=14, decimal_places=2, required=False,
                                         help_text=_("0 if the evidence says nothing was "
                                                     "assigned; empty if not known."))
    budget_executed = forms.DecimalField(label=_("Budget executed (PEN)"), min_value=0,
                                         max_digits=14, decimal_places=2, required=False)
    implementation = forms.ChoiceField(label=_("Implementation"),
                                       choices=choices.Implementation.choices)
    delivered = forms.CharField(label=_("What it delivered"), widget=AREA, required=False)
    delivered_count = forms.IntegerField(label=_("How many (people, actions)"), min_value=0,
                                         required=False)
    assessment = forms.ChoiceField(label=_("Assessment"), required=False)
    notes = forms.CharField(label=_("Notes"), widget=AREA, required=False)

    def __init__(self, *args, edition, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, y) for y in edition.years]
        self.fields["department"].choices = _departments(_("National"))
        if edition.scale:
            self.fields["assessment"].choices = BLANK + [
                (level["code"], level["label"]) for level in edition.scale]
        else:
            del self.fields["assessment"]


class SourceForm(StyledFormMixin, forms.Form):
    evidence = forms.IntegerField(widget=forms.HiddenInput)
    kind = forms.ChoiceField(label=_("Kind of source"), choices=choices.SourceKind.choices)
    reference = forms.CharField(label=_("Reference"), max_length=500,
                                help_text=_("The query, the reply's number, the norm…"))
    dated = forms.DateField(label=_("Dated"), widget=DATE)


class RequestForm(StyledFormMixin, forms.Form):
    entity = forms.ModelChoiceField(label=_("Entity"), queryset=None)
    subject = forms.CharField(label=_("What was asked"), widget=AREA)
    services = forms.ModelMultipleChoiceField(label=_("Services concerned"), queryset=None,
                                              required=False)
    sent_on = forms.DateField(label=_("Filed on"), widget=DATE)
    reference = forms.CharField(label=_("Filing number"), max_length=100, required=False)
    with_ombudsman = forms.BooleanField(label=_("Sent with the Defensoría's support"),
                                        required=False)

    def __init__(self, *args, edition, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entity"].queryset = Institution.objects.filter(
            active=True, sector="estado").order_by("name")
        self.fields["services"].queryset = Service.objects.filter(
            instrument=edition.instrument)
        self.fields["services"].label_from_instance = lambda s: f"{s.number}. {s.name[:80]}"
        self.initial.setdefault("sent_on", timezone.localdate())


class AnswerForm(StyledFormMixin, forms.Form):
    extended_to = forms.DateField(label=_("Extended to"), widget=DATE, required=False,
                                  help_text=_("The date the entity said it would answer, if it "
                                              "asked for more time before the deadline."))
    answered_on = forms.DateField(label=_("Answered on"), widget=DATE, required=False)
    completeness = forms.ChoiceField(label=_("The answer was"), required=False,
                                     choices=BLANK + choices.Completeness.choices)
    answer_summary = forms.CharField(label=_("What it answered"), widget=AREA, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ReminderForm(StyledFormMixin, forms.Form):
    sent_on = forms.DateField(label=_("Reminder sent on"), widget=DATE)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class AnswerDocumentForm(StyledFormMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    file = forms.FileField(label=_("File (PDF, photo or text)"))
    sealed = forms.BooleanField(label=_("Encrypt it (it names officials or people)"),
                                required=False)


class InstrumentForm(StyledFormMixin, forms.Form):
    department = forms.ChoiceField(label=_("Department"))
    kind = forms.ChoiceField(label=_("Kind"), choices=BLANK + choices.InstrumentKind.choices)
    name = forms.CharField(label=_("Name"), max_length=300)
    norm = forms.CharField(label=_("Norm that approves it"), max_length=200, required=False)
    starts = forms.IntegerField(label=_("From year"), min_value=1990, max_value=2100,
                                required=False)
    ends = forms.IntegerField(label=_("To year"), min_value=1990, max_value=2100,
                              required=False)
    has_objectives = forms.BooleanField(label=_("Includes anti-trafficking objectives"),
                                        required=False)
    budget_lines = forms.BooleanField(label=_("Has budget lines for it"), required=False)
    budget = forms.DecimalField(label=_("Budget (PEN)"), min_value=0, max_digits=14,
                                decimal_places=2, required=False)
    notes = forms.CharField(label=_("Notes"), widget=AREA, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].choices = _departments()


class EditionForm(StyledFormMixin, forms.Form):
    instrument = forms.ModelChoiceField(label=_("Policy it follows"), queryset=None)
    first_year = forms.IntegerField(label=_("First year covered"), min_value=2000,
                                    max_value=2100)
    last_year = forms.IntegerField(label=_("Last year covered"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("Title"), max_length=300, required=False)
    scale = forms.CharField(
        label=_("Assessment scale (optional)"), required=False, widget=AREA,
        help_text=_("One level per line, “code: label”. Empty: no scale, as in earlier "
                    "editions."))
    published_on = forms.DateField(label=_("Published on"), widget=DATE, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["instrument"].queryset = Instrument.objects.all()
        if isinstance(self.initial.get("scale"), list):
            self.initial["scale"] = "\n".join(
                f"{level['code']}: {level['label']}" for level in self.initial["scale"])


class ChapterForm(StyledFormMixin, forms.Form):
    chapter = forms.ChoiceField(widget=forms.HiddenInput, choices=choices.Chapter.choices)
    text = forms.CharField(label=_("Text"), required=False,
                           widget=forms.Textarea(attrs={"rows": 8}),
                           help_text=_("Paragraphs separated by an empty line."))
