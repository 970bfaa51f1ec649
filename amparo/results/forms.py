"""The results pages' forms. The framework's table posts one row's action (compute, enter a
value with its evidence, a step of the approval); an indicator's sheet posts a target. The
services parse and check the numbers (they are typed the way people type: "1 250", "12,5")."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

DECISIONS = ("enviado", "aprobado", "cerrado", "accept", "dismiss")
ROW_ACTIONS = ("compute", "enter", *DECISIONS)


class RowForm(forms.Form):
    """One row of a framework's table and what is done with it for the period shown."""

    indicator = forms.ModelChoiceField(queryset=None, error_messages={
        "invalid_choice": _("That indicator is not in this framework.")})
    action = forms.ChoiceField(choices=[(a, a) for a in ROW_ACTIONS])
    value = forms.CharField(required=False, max_length=40)
    evidence = forms.CharField(required=False)

    def __init__(self, *args, framework, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].queryset = framework.indicators.all()


class TargetForm(forms.Form):
    """A target for one of the framework's periods, for the whole or one category of a
    breakdown ("sexo:mujer"); an empty value removes it."""

    target_period = forms.ChoiceField(error_messages={
        "invalid_choice": _("Choose one of the framework's periods."),
        "required": _("Choose one of the framework's periods.")})
    target_for = forms.CharField(required=False, max_length=120)
    target_value = forms.CharField(required=False, max_length=40)

    def __init__(self, *args, periods, **kwargs):
        super().__init__(*args, **kwargs)
        self.periods = {p.key: p for p in periods}
        self.fields["target_period"].choices = [(p.key, p.label) for p in periods]

    def target(self) -> dict:
        data = self.cleaned_data
        dimension, _colon, category = data["target_for"].partition(":")
        return {"period": self.periods[data["target_period"]], "dimension": dimension,
                "category": category, "value": data["target_value"]}

