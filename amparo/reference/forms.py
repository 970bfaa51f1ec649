"""The department → province → district picker.

`UbigeoField` renders three selects in a fieldset; choosing a department or a province asks the
server (HTMX) for the widget again with the next level filled in. Without JavaScript the selects
still submit and the server says what is missing. The cleaned value is a `UbigeoChoice`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django import forms
from django.utils.translation import gettext_lazy as _

from amparo.reference.models import Department, District, Province

LEVELS = ("department", "province", "district")
NAME_PATTERN = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]{0,60}$")


@dataclass(frozen=True)
class UbigeoChoice:
    department: Department
    province: Province | None = None
    district: District | None = None

    @property
    def code(self) -> str:
        return (self.district or self.province or self.department).code


def codes_of(value) -> tuple[str, str, str]:
    """(department, province, district) codes from a choice, a model instance or a code."""
    if isinstance(value, (UbigeoChoice, Department | Province | District)):
        value = value.code
    elif isinstance(value, tuple | list):
        return tuple((list(value) + ["", "", ""])[:3])  # type: ignore[return-value]
    code = str(value or "")
    return (code[:2], code[:4] if len(code) >= 4 else "", code if len(code) == 6 else "")


class UbigeoWidget(forms.Widget):
    template_name = "reference/widgets/ubigeo.html"
    use_fieldset = True

    def value_from_datadict(self, data, files, name):
        return tuple(data.get(f"{name}_{suffix}", "") for suffix in ("dep", "prov", "dist"))

    def value_omitted_from_data(self, data, files, name):
        return f"{name}_dep" not in data

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        dep, prov, dist = codes_of(value)
        provinces = Province.objects.filter(department_id=dep) if dep else Province.objects.none()
        if prov and not prov.startswith(dep):
            prov, dist = "", ""
        districts = District.objects.filter(province_id=prov) if prov else District.objects.none()
        if dist and not dist.startswith(prov):
            dist = ""
        context["widget"].update(
            departments=Department.objects.all(),
            provinces=provinces,
            districts=districts,
            selected={"dep": dep, "prov": prov, "dist": dist},
            base_id=(attrs or {}).get("id") or f"id_{name}",
        )
        return context


class UbigeoField(forms.Field):
    widget = UbigeoWidget
    default_error_messages = {
        "required": _("Choose a department."),
        "province": _("Choose the province as well."),
        "district": _("Choose the district as well."),
        "invalid": _("That place does not exist in the UBIGEO table; choose it again from the "
                     "lists."),
    }

    def __init__(self, *, min_level: str = "department", **kwargs):
        if min_level not in LEVELS:
            raise ValueError(f"min_level must be one of {LEVELS}")
        self.min_level = min_level
        super().__init__(**kwargs)

    def clean(self, value):
        dep, prov, dist = codes_of(value)
        if not dep:
            if self.required:
                raise forms.ValidationError(self.error_messages["required"], code="required")
            return None
        department = Department.objects.filter(pk=dep).first()
        province = Province.objects.filter(pk=prov, department_id=dep).first() if prov else None
        district = District.objects.filter(pk=dist, province_id=prov).first() if dist else None
        if department is None or (prov and province is None) or (dist and district is None):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        needed = LEVELS.index(self.min_level)
        if needed >= 1 and province is None:
            raise forms.ValidationError(self.error_messages["province"], code="province")
        if needed >= 2 and district is None:
            raise forms.ValidationError(self.error_messages["district"], code="district")
        return UbigeoChoice(department, province, district)
