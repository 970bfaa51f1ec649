"""Forms of a person and her case: the filter, identity, intake, assignment and workflow."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from amparo.accounts.models import User
from amparo.cases import choices, extensions
from amparo.cases.forms.common import VersionedForm, _ubigeo_code, _vocabularies
from amparo.core.forms import BLANK, DATE, StyledFormMixin
from amparo.reference.forms import UbigeoField


class CaseFilterForm(StyledFormMixin, forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100,
                        help_text=_("Case code, document number or name."))
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[
        ("", _("Any")), ("abiertos", _("Open cases")), *choices.Status.choices])
    office = forms.ModelChoiceField(label=_("Office"), required=False, queryset=None,
                                    empty_label=_("Any"))
    worker = forms.ModelChoiceField(label=_("Responsible worker"), required=False,
                                    queryset=None, empty_label=_("Any"))
    minor = forms.ChoiceField(label=_("Age at intake"), required=False, choices=[
        ("", _("Any")), ("si", _("Minors")), ("no", _("Adults"))])
    form = forms.ChoiceField(label=_("Form of exploitation"), required=False)
    alert = forms.ChoiceField(label=_("Alerts"), required=False)

    def __init__(self, *args, offices, workers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = offices
        self.fields["worker"].queryset = workers
        self.fields["worker"].label_from_instance = lambda u: u.display_name
        _vocabularies(self, {"form": "forma_explotacion"})
        self.fields["form"].choices = [("", _("Any"))] + self.fields["form"].choices[1:]
        source = extensions.alert_source()
        if source is None:
            del self.fields["alert"]
        else:
            self.fields["alert"].choices = [
                ("", _("Any")), ("alguna", _("With an open alert")),
                ("alta", _("With a high alert")), *source.kinds()]


IDENTITY_VOCABULARIES = {
    "sex": "sexo", "gender_identity": "identidad_genero", "nationality": "nacionalidad",
    "document_type": "tipo_documento", "indigenous_people": "pueblo_indigena",
    "mother_tongue": "lengua", "origin_country": "nacionalidad",
}


class IdentityFields(forms.Form):
    given_names = forms.CharField(label=_("Given names"), max_length=120, required=False)
    paternal_surname = forms.CharField(label=_("Paternal surname"), max_length=80, required=False)
    maternal_surname = forms.CharField(label=_("Maternal surname"), max_length=80, required=False)
    social_name = forms.CharField(label=_("Social name or alias"), max_length=120, required=False,
                                  help_text=_("The name she wants to be called by."))
    sex = forms.ChoiceField(label=_("Sex"), required=False)
    gender_identity = forms.ChoiceField(label=_("Gender identity"), required=False)
    birth_date = forms.DateField(label=_("Birth date"), required=False, widget=DATE)
    estimated_age = forms.IntegerField(
        label=_("Estimated age"), required=False, min_value=0, max_value=110,
        help_text=_("Only if the birth date is not known; it is recorded as an estimate."))
    nationality = forms.ChoiceField(label=_("Nationality"), required=False)
    document_type = forms.ChoiceField(label=_("Document type"), required=False)
    document_number = forms.CharField(label=_("Document number"), max_length=30, required=False)
    indigenous_people = forms.ChoiceField(label=_("Indigenous people"), required=False)
    mother_tongue = forms.ChoiceField(label=_("Mother tongue"), required=False)
    disabilities = forms.MultipleChoiceField(
        label=_("Disability"), required=False, choices=choices.Disability.choices,
        widget=forms.CheckboxSelectMultiple)
    origin = UbigeoField(label=_("Place of origin in Peru"), required=False)
    origin_country = forms.ChoiceField(label=_("…or country of origin"), required=False)
    contacts = forms.CharField(
        label=_("Contacts"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Phones, messaging, a trusted person. Stored encrypted."))
    address = forms.CharField(
        label=_("Address or shelter"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}), help_text=_("Stored encrypted."))

    def identity_data(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items()
                if k not in ("origin", "contacts", "address", "version")}
        data["origin_ubigeo"] = _ubigeo_code(self.cleaned_data.get("origin"))
        return data


class IdentityForm(StyledFormMixin, IdentityFields):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _vocabularies(self, IDENTITY_VOCABULARIES)


class CaseFields(forms.Form):
    intake_date = forms.DateField(label=_("Intake date"), widget=DATE)
    arrival = forms.ChoiceField(label=_("How she arrived"), choices=BLANK + choices.Arrival.choices)
    victim_status = forms.ChoiceField(label=_("Victim status"))
    priority = forms.ChoiceField(label=_("Priority"), choices=choices.Priority.choices,
                                 initial=choices.Priority.MEDIUM)
    guardian_type = forms.ChoiceField(
        label=_("Guardian or institution responsible"), required=False,
        choices=BLANK + choices.Guardian.choices, help_text=_("Required for a minor."))
    guardian = forms.CharField(
        label=_("Guardian's name and contact"), required=False, max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}), help_text=_("Stored encrypted."))

    def case_data(self) -> dict:
        return {k: self.cleaned_data[k] for k in
                ("intake_date", "arrival", "victim_status", "priority", "guardian_type")}


class IntakeForm(StyledFormMixin, IdentityFields, CaseFields):
    office = forms.ModelChoiceField(label=_("Office"), queryset=None, empty_label=None)

    def __init__(self, *args, offices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = offices
        self.fields["intake_date"].initial = timezone.localdate
        _vocabularies(self, {**IDENTITY_VOCABULARIES, "victim_status": "estatus_victima"})
        self.fields["victim_status"].initial = "presunta"


class CaseForm(StyledFormMixin, CaseFields):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _vocabularies(self, {"victim_status": "estatus_victima"})


class AssignForm(VersionedForm):
    worker = forms.ModelChoiceField(label=_("Responsible worker"), queryset=None)
    psychologist = forms.ModelChoiceField(label=_("Psychologist"), queryset=None, required=False)
    lawyer = forms.ModelChoiceField(label=_("Lawyer"), queryset=None, required=False)

    def __init__(self, *args, office, **kwargs):
        super().__init__(*args, **kwargs)
        staff = User.objects.filter(is_active=True, role_assignments__office=office).distinct()
        for name, role in (("worker", None), ("psychologist", "psychologist"),
                           ("lawyer", "lawyer")):
            field = self.fields[name]
            field.queryset = staff.filter(role_assignments__role=role) if role else staff
            field.label_from_instance = lambda u: u.display_name


class StatusForm(VersionedForm):
    to_status = forms.ChoiceField(choices=[(s.value, s.label) for s in choices.WORKFLOW],
                                  widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Reason"), required=False, max_length=1000)


class CloseForm(VersionedForm):
    reason = forms.ChoiceField(label=_("Reason for closure"),
                               choices=BLANK + choices.ClosureReason.choices)
    outcomes = forms.MultipleChoiceField(label=_("Outcomes"), required=False,
                                         choices=choices.Outcome.choices,
                                         widget=forms.CheckboxSelectMultiple)
    note = forms.CharField(label=_("Comment"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))


class ReopenForm(VersionedForm):
    reason = forms.CharField(label=_("Why is it reopened?"), max_length=1000)
