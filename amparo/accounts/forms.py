from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from amparo.accounts.models import Office
from amparo.accounts.roles import OFFICE_ROLES, ORGANISATION_ROLES, Role
from amparo.core.forms import StyledFormMixin
from amparo.reference.forms import UbigeoField

ORG = "org"


class RolesField(forms.MultipleChoiceField):
    """Roles as `role@office-code` (or `role@org`), shown as a grid of offices × roles."""

    def __init__(self, offices, **kwargs):
        self.offices = list(offices)
        choices = [(f"{r.value}@{o.code}", f"{r.label} · {o.name}") for o in self.offices
                   for r in Role if r in OFFICE_ROLES]
        choices += [(f"{r.value}@{ORG}", str(r.label)) for r in Role if r in ORGANISATION_ROLES]
        super().__init__(choices=choices, required=False, widget=forms.CheckboxSelectMultiple,
                         **kwargs)

    def to_specs(self, values) -> list[tuple[str, Office | None]]:
        by_code = {o.code: o for o in self.offices}
        specs = []
        for value in values:
            role, _sep, where = value.partition("@")
            specs.append((role, None if where == ORG else by_code[where]))
        return specs


def role_values(user) -> list[str]:
    return [f"{a.role}@{a.office.code if a.office_id else ORG}"
            for a in user.role_assignments.all()]


class RolesFormMixin:
    def add_roles_field(self):
        self.fields["roles"] = RolesField(
            Office.objects.filter(active=True).order_by("name"), label=_("Roles")
        )

    def role_grid(self):
        """Rows for the template: one per office, then the organisation-wide roles."""
        field = self.fields["roles"]
        chosen = set(self["roles"].value() or [])
        office_roles = [r for r in Role if r in OFFICE_ROLES]
        rows = [
            {
                "name": office.name,
                "cells": [
                    {"value": f"{r.value}@{office.code}", "role": r.label,
                     "checked": f"{r.value}@{office.code}" in chosen}
                    for r in office_roles
                ],
            }
            for office in field.offices
        ]
        org = [{"value": f"{r.value}@{ORG}", "role": r.label,
                "checked": f"{r.value}@{ORG}" in chosen}
               for r in Role if r in ORGANISATION_ROLES]
        return {"office_roles": [r.label for r in office_roles], "rows": rows, "org": org}

    def role_specs(self):
        return self.fields["roles"].to_specs(self.cleaned_data.get("roles", []))


class UserCreateForm(StyledFormMixin, RolesFormMixin, forms.Form):
    username = forms.CharField(
        label=_("User name"),
        max_length=150,
        validators=[RegexValidator(r"^[a-z0-9._-]+$", _(
            "Use only lower-case letters, digits, dots, hyphens and underscores."))],
        help_text=_("For example lima.mquispe. People sign in with it."),
    )
    first_name = forms.CharField(label=_("Given names"), max_length=150)
    last_name = forms.CharField(label=_("Surnames"), max_length=150)
    email = forms.EmailField(label=_("E-mail"), required=False,
                             help_text=_("Used only to reset a forgotten password."))
    service = forms.BooleanField(
        label=_("Service account (a program, not a person)"), required=False,
        help_text=_("For an integration: it has no password and no e-mail and never signs in. "
                    "It acts only through a token you make for it on the API tokens page, "
                    "within roles a second person approves."))
    password1 = forms.CharField(
        required=False,
        label=_("Initial password"), widget=forms.PasswordInput(render_value=False),
        help_text=_("At least 12 characters, not a common password. Give it to the person "
                    "in private; they set up two-step verification at their first login."),
    )
    password2 = forms.CharField(label=_("Repeat the password"), widget=forms.PasswordInput,
                                required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_roles_field()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("service"):
            if cleaned.get("email"):
                self.add_error("email", _("A service account has no e-mail address: it never "
                                          "signs in. Leave it empty."))
            return cleaned
        if not cleaned.get("password1"):
            self.add_error("password1", _("Write the initial password (or mark the account as "
                                          "a service account)."))
        elif cleaned.get("password1") != cleaned.get("password2"):
            self.add_error("password2", _("The two passwords differ; type them again."))
        return cleaned


class UserEditForm(StyledFormMixin, RolesFormMixin, forms.Form):
    first_name = forms.CharField(label=_("Given names"), max_length=150)
    last_name = forms.CharField(label=_("Surnames"), max_length=150)
    email = forms.EmailField(label=_("E-mail"), required=False)

    def __init__(self, *args, user, **kwargs):
        kwargs.setdefault("initial", {
            "first_name": user.first_name, "last_name": user.last_name, "email": user.email,
            "roles": role_values(user),
        })
        super().__init__(*args, **kwargs)
        self.add_roles_field()


class ReasonForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("It is kept in the access log."),
    )


class UserFilterForm(StyledFormMixin, forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    office = forms.ModelChoiceField(Office.objects.all(), label=_("Office"), required=False,
                                    to_field_name="code", empty_label=_("All offices"))
    role = forms.ChoiceField(label=_("Role"), required=False,
                             choices=[("", _("All roles"))] + list(Role.choices))
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[
        ("", _("All")), ("active", _("Active")), ("inactive", _("Deactivated")),
        ("sin_segundo_factor", _("Active, without two-step verification"))])


class OfficeForm(StyledFormMixin, forms.ModelForm):
    place = UbigeoField(label=_("Where the office is"), min_level="department",
                        help_text=_("The department is required; province and district are "
                                    "optional."))

    class Meta:
        model = Office
        fields = ["code", "name", "case_prefix", "active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            for name in ("code", "case_prefix"):
                self.fields[name].disabled = True
                self.fields[name].help_text = _("It cannot change: case codes use it.")
            self.fields["place"].initial = self.instance.district or self.instance.department

    def save(self, commit=False):
        # Only fills the instance in; services.office_save() stores it.
        office = super().save(commit=False)
        place = self.cleaned_data["place"]
        office.department, office.district = place.department, place.district
        return office
