from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from amparo.core.forms import BLANK, DATE, StyledFormMixin
from amparo.reference.forms import UbigeoField
from amparo.reference.models import Department
from amparo.referrals import choices
from amparo.referrals.selectors import institutions_near


class ReferralForm(StyledFormMixin, forms.Form):
    institution = forms.ModelChoiceField(label=_("Institution"), queryset=None)
    purpose = forms.ChoiceField(label=_("Referred for"), choices=BLANK + choices.Purpose.choices)
    referred_on = forms.DateField(label=_("Date"), widget=DATE, initial=timezone.localdate)
    reference = forms.CharField(label=_("Document number (oficio, carta)"), required=False,
                                max_length=80)
    shared = forms.MultipleChoiceField(label=_("What was shared"), choices=choices.Shared.choices,
                                       widget=forms.CheckboxSelectMultiple)
    note = forms.CharField(label=_("What was asked"), required=False, max_length=5000,
                           widget=forms.Textarea(attrs={"rows": 2}),
                           help_text=_("Stored encrypted."))
    override_reason = forms.CharField(
        label=_("Coordinator: reason to share without consent"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Only when she cannot give consent and sharing cannot wait. It is recorded "
                    "in the access log."))

    def __init__(self, *args, case, can_override: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = institutions_near(choices.InstitutionKind.values,
                                                                case)
        if not can_override:
            del self.fields["override_reason"]


class ReferralUpdateForm(StyledFormMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    status = forms.ChoiceField(label=_("Status"), choices=choices.Status.choices)
    status_on = forms.DateField(label=_("Date"), widget=DATE, initial=timezone.localdate)
    answer = forms.CharField(label=_("The institution's answer"), required=False,
                             max_length=5000, widget=forms.Textarea(attrs={"rows": 2}))
    outcome = forms.ChoiceField(label=_("Outcome"), required=False,
                                choices=BLANK + choices.Outcome.choices)


class IncomingReferralForm(StyledFormMixin, forms.Form):
    """Optional part of the intake: the institution that sent her to us."""

    referred_institution = forms.ModelChoiceField(
        label=_("Referred by (institution)"), required=False, queryset=None,
        help_text=_("If a prosecutor, a shelter or another service sent her, choose it."))
    referred_on = forms.DateField(label=_("Referral date"), required=False, widget=DATE)
    referred_reference = forms.CharField(label=_("Their document number (oficio)"),
                                         required=False, max_length=80)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["referred_institution"].queryset = institutions_near(
            choices.InstitutionKind.values, None).order_by("ubigeo", "name")

    def clean(self):
        data = super().clean()
        if not data.get("referred_institution") and (data.get("referred_on")
                                                      or data.get("referred_reference")):
            raise forms.ValidationError(_(
                "Choose the institution that referred her, or leave the referral empty."))
        return data


class InstitutionFilterForm(StyledFormMixin, forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    departamento = forms.ModelChoiceField(label=_("Region"), required=False,
                                          queryset=Department.objects.all(), empty_label=_("Any"))
    servicio = forms.ChoiceField(label=_("Provides"), required=False,
                                 choices=[("", _("Any"))] + choices.Purpose.choices)
    tipo = forms.ChoiceField(label=_("Type"), required=False,
                             choices=[("", _("Any"))] + choices.InstitutionKind.choices)


class InstitutionForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    acronym = forms.CharField(label=_("Acronym"), required=False, max_length=40)
    kind = forms.ChoiceField(label=_("Type"), choices=BLANK + choices.InstitutionKind.choices)
    sector = forms.ChoiceField(label=_("Sector"), choices=choices.Sector.choices)
    place = UbigeoField(label=_("Where"))
    address = forms.CharField(label=_("Address"), required=False, max_length=200)
    phone = forms.CharField(label=_("Phone"), required=False, max_length=60)
    email = forms.EmailField(label=_("E-mail"), required=False)
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    hours = forms.CharField(label=_("Opening hours"), required=False, max_length=120)
    provides = forms.MultipleChoiceField(label=_("What it provides"), required=False,
                                         choices=choices.Purpose.choices,
                                         widget=forms.CheckboxSelectMultiple)
    notes = forms.CharField(label=_("Notes for the team"), required=False, max_length=3000,
                            widget=forms.Textarea(attrs={"rows": 2}))
    active = forms.BooleanField(label=_("In service"), required=False, initial=True)

    def institution_data(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k != "place"}
        place = self.cleaned_data["place"]
        data["ubigeo"] = place.code if place else ""
        return data
