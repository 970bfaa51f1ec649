"""Forms of the legal tab. They parse input and offer choices; the services decide."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from amparo.cases.forms import staff_of
from amparo.core.forms import BLANK, DATE, StyledFormMixin
from amparo.legal import choices, procedure
from amparo.legal.models import Offence, Proceeding, Step
from amparo.referrals.choices import InstitutionKind
from amparo.referrals.selectors import institutions_near

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
NOTE = forms.CharField(label=_("Note"), required=False, max_length=5000,
                       widget=forms.Textarea(attrs={"rows": 2}), help_text=_("Stored encrypted."))


def office_staff(case):
    return staff_of(case).order_by("first_name", "last_name")


def _people(field):
    field.label_from_instance = lambda u: u.display_name
    return field


class ProceedingForm(StyledFormMixin, forms.Form):
    police_report = forms.CharField(label=_("Police complaint number"), required=False,
                                    max_length=60)
    prosecutor_file = forms.CharField(label=_("Prosecutor's file (carpeta fiscal)"),
                                      required=False, max_length=60)
    court_file = forms.CharField(label=_("Court file (expediente)"), required=False,
                                 max_length=60, help_text=_("e.g. 01234-2025-0-1601-JR-PE-01"))
    prosecutor_office = forms.ModelChoiceField(label=_("Prosecutor's office"), required=False,
                                               queryset=None)
    court = forms.ModelChoiceField(label=_("Court"), required=False, queryset=None)
    judicial_district = forms.ChoiceField(
        label=_("Judicial district"), required=False,
        choices=BLANK + [(d, d) for d in choices.JUDICIAL_DISTRICTS])
    facts_on = forms.DateField(label=_("Date of the facts"), required=False, widget=DATE,
                               help_text=_("Decides which article number was in force."))
    charges = forms.MultipleChoiceField(label=_("Charges"), required=False,
                                        widget=forms.SelectMultiple(attrs={"size": 6}))
    track = forms.ChoiceField(label=_("Procedural track"), choices=choices.Track.choices)
    civil_party = forms.BooleanField(label=_("She is constituted as actor civil"),
                                     required=False)
    civil_party_on = forms.DateField(label=_("Actor civil since"), required=False, widget=DATE)
    representation = forms.ChoiceField(label=_("Who represents her"),
                                       choices=choices.Representation.choices)
    representative = forms.ModelChoiceField(label=_("Our lawyer"), required=False, queryset=None)

    def __init__(self, *args, case, creating: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["prosecutor_office"].queryset = institutions_near(
            [InstitutionKind.FISTRAP, InstitutionKind.PROSECUTOR], case)
        self.fields["court"].queryset = institutions_near([InstitutionKind.COURT], case)
        self.fields["charges"].choices = [
            (o.article, f"{o.article} ({o.former_article}) {o.name}" if o.former_article
             else f"{o.article} {o.name}") for o in Offence.objects.all()]
        self.fields["representative"].queryset = office_staff(case).filter(
            role_assignments__role="lawyer")
        _people(self.fields["representative"])
        if creating:
            self.fields["stage"] = forms.ChoiceField(
                label=_("Stage it is in now"),
                choices=[c for c in choices.Stage.choices if c[0] != choices.Stage.CONCLUDED])
            self.fields["stage_since"] = forms.DateField(
                label=_("In this stage since"), widget=DATE, initial=timezone.localdate)
            self.fields["stage"].widget.attrs["class"] = "form-select"
            self.fields["stage_since"].widget.attrs["class"] = "form-control"
        else:
            self.fields["version"] = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def proceeding_data(self) -> dict:
        return {k: self.cleaned_data[k] for k in (
            "police_report", "prosecutor_file", "court_file", "prosecutor_office", "court",
            "judicial_district", "facts_on", "charges", "track", "civil_party",
            "civil_party_on", "representation", "representative")}


def _grouped(options, fits) -> list:
    """What the current stage allows first; the rest after, so that choosing one of them gets
    the service's explanation instead of a bare "invalid choice"."""
    first = [o for o in options if fits(o[0])]
    rest = [o for o in options if not fits(o[0])]
    groups = [(_("Possible in this stage"), first)] if first else []
    return groups + ([(_("Others"), rest)] if rest else [])


class StageForm(StyledFormMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    code = forms.ChoiceField(label=_("New stage"), choices=choices.Stage.choices)
    taken_on = forms.DateField(label=_("Date"), widget=DATE, initial=timezone.localdate)
    note = NOTE

    def __init__(self, *args, proceeding: Proceeding, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = procedure.NEXT_STAGES.get(proceeding.stage, set())
        self.fields["code"].choices = _grouped(choices.Stage.choices, lambda code: code in allowed)


class DecisionForm(StyledFormMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    code = forms.ChoiceField(label=_("Decision"), choices=choices.Decision.choices)
    taken_on = forms.DateField(label=_("Date"), widget=DATE, initial=timezone.localdate)
    issuer = forms.ModelChoiceField(label=_("Issued by"), required=False, queryset=None)
    note = NOTE

    def __init__(self, *args, proceeding: Proceeding, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].choices = _grouped(
            choices.Decision.choices,
            lambda code: proceeding.stage in procedure.DECISIONS[code].allowed_in)
        self.fields["issuer"].queryset = institutions_near(
            [InstitutionKind.FISTRAP, InstitutionKind.PROSECUTOR, InstitutionKind.COURT], case)


class SentenceForm(StyledFormMixin, forms.Form):
    step = forms.ModelChoiceField(label=_("Judgment"), queryset=None)
    defendant = forms.ModelChoiceField(label=_("Defendant"), required=False, queryset=None,
                                       empty_label=_("All, or not named"))
    penalty = forms.ChoiceField(label=_("Penalty"), choices=BLANK + choices.PenaltyKind.choices)
    prison_years = forms.DecimalField(label=_("Prison (years)"), required=False, max_digits=4,
                                      decimal_places=1, min_value=0)
    fine_days = forms.IntegerField(label=_("Fine (day-fines)"), required=False, min_value=0)
    disqualification = forms.CharField(label=_("Disqualification (inhabilitación)"),
                                       required=False, max_length=200)
    reparation = forms.DecimalField(label=_("Civil reparation ordered (S/)"), max_digits=12,
                                    decimal_places=2, min_value=0, initial=0)
    final_on = forms.DateField(label=_("Final since"), required=False, widget=DATE)

    def __init__(self, *args, proceeding: Proceeding, defendants, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["step"].queryset = Step.objects.filter(
            proceeding=proceeding, decision__in=procedure.SENTENCING).order_by("-taken_on")
        self.fields["step"].label_from_instance = (
            lambda s: f"{s.get_decision_display()} – {s.taken_on:%d/%m/%Y}")
        self.fields["defendant"].queryset = defendants
        self.fields["defendant"].label_from_instance = (
            lambda d: f"{d.get_role_display()} ({str(d.pk)[:4]})")


class PaymentForm(StyledFormMixin, forms.Form):
    paid_on = forms.DateField(label=_("Date"), widget=DATE, initial=timezone.localdate)
    amount = forms.DecimalField(label=_("Amount (S/)"), max_digits=12, decimal_places=2,
                                min_value=0)
    receipt = forms.CharField(label=_("Receipt or deposit number"), required=False,
                              max_length=80)


class HearingForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Type"), choices=BLANK + choices.HearingKind.choices)
    starts_at = forms.DateTimeField(label=_("Date and time"), widget=DATETIME,
                                    input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"])
    court = forms.ModelChoiceField(label=_("Court"), required=False, queryset=None)
    room = forms.CharField(label=_("Room or link"), required=False, max_length=200)
    survivor_must_attend = forms.BooleanField(label=_("She must attend"), required=False)
    attendees = forms.ModelMultipleChoiceField(label=_("Who goes from the team"), required=False,
                                               queryset=None,
                                               widget=forms.CheckboxSelectMultiple)
    note = NOTE

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["court"].queryset = institutions_near([InstitutionKind.COURT], case)
        self.fields["attendees"].queryset = office_staff(case)
        _people(self.fields["attendees"])


ATTENDED = [("", _("Not recorded")), ("si", _("Yes")), ("no", _("No"))]


class HearingOutcomeForm(StyledFormMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    status = forms.ChoiceField(label=_("Status"), choices=choices.HearingStatus.choices)
    survivor_attended = forms.TypedChoiceField(
        label=_("She attended"), required=False, choices=ATTENDED, empty_value=None,
        coerce=lambda v: {"si": True, "no": False}.get(v))
    starts_at = forms.DateTimeField(label=_("New date and time, if postponed"), required=False,
                                    widget=DATETIME,
                                    input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"])


class DefendantForm(StyledFormMixin, forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=BLANK + choices.DefendantRole.choices)
    situation = forms.ChoiceField(label=_("Situation"),
                                  choices=choices.DefendantSituation.choices)
    name = forms.CharField(label=_("Name"), required=False, max_length=200)
    alias = forms.CharField(label=_("Alias"), required=False, max_length=120)
    document = forms.CharField(label=_("Document"), required=False, max_length=40)
    relation = forms.CharField(label=_("Relation to her"), required=False, max_length=120)
    notes = forms.CharField(label=_("Notes"), required=False, max_length=3000,
                            widget=forms.Textarea(attrs={"rows": 2}))


class DeadlineForm(StyledFormMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    status = forms.ChoiceField(label=_("Status"), choices=[
        (choices.DeadlineStatus.MET, choices.DeadlineStatus.MET.label),
        (choices.DeadlineStatus.WAIVED, choices.DeadlineStatus.WAIVED.label)])
    done_on = forms.DateField(label=_("Done on"), required=False, widget=DATE,
                              initial=timezone.localdate)


class MeasureForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Measure"), choices=BLANK + choices.MeasureKind.choices)
    proceeding = forms.ModelChoiceField(label=_("Proceeding"), required=False, queryset=None)
    status = forms.ChoiceField(label=_("Status"), choices=choices.MeasureStatus.choices)
    requested_on = forms.DateField(label=_("Requested on"), widget=DATE,
                                   initial=timezone.localdate)
    granted_on = forms.DateField(label=_("Granted on"), required=False, widget=DATE)
    ends_on = forms.DateField(label=_("Ends on"), required=False, widget=DATE)
    issuer = forms.ModelChoiceField(label=_("Issued by"), required=False, queryset=None)
    note = NOTE

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["proceeding"].queryset = Proceeding.objects.filter(case=case)
        self.fields["issuer"].queryset = institutions_near(InstitutionKind.values, case)

    def measure_data(self) -> dict:
        return {k: self.cleaned_data[k] for k in (
            "kind", "proceeding", "status", "requested_on", "granted_on", "ends_on", "issuer")}


class MeasureStatusForm(forms.Form):
    version = forms.IntegerField(min_value=1)
    status = forms.ChoiceField(choices=choices.MeasureStatus.choices)
    granted_on = forms.DateField(required=False)
    ends_on = forms.DateField(required=False)


class DeadlineRuleForm(StyledFormMixin, forms.Form):
    days = forms.IntegerField(label=_("Days"), min_value=1, max_value=365)
    working_days = forms.BooleanField(label=_("Working days"), required=False)
    active = forms.BooleanField(label=_("In use"), required=False)
