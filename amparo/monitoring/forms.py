from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from amparo.core.forms import DATE, StyledFormMixin, style
from amparo.monitoring import choices
from amparo.monitoring.conditions import PARAMS
from amparo.monitoring.models import AlertRule, RiskInstrument

ACTIONS = [
    (choices.EventKind.ACKNOWLEDGED, _("I am on it (acknowledge)")),
    (choices.EventKind.SNOOZED, _("Snooze until a date")),
    (choices.EventKind.RESOLVED, _("Resolved")),
]


class AlertActionForm(StyledFormMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    action = forms.ChoiceField(label=_("What to do"), choices=ACTIONS)
    comment = forms.CharField(label=_("Comment or reason"), max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 2}),
                              help_text=_("Stored encrypted; never sent by e-mail."))
    until = forms.DateField(label=_("Snooze until"), widget=DATE, required=False)


class RiskForm(StyledFormMixin, forms.Form):
    assessed_on = forms.DateField(label=_("Date"), widget=DATE, initial=timezone.localdate)
    answers = forms.MultipleChoiceField(
        label=_("Answer yes where it applies today"), required=False,
        widget=forms.CheckboxSelectMultiple)
    notes = forms.CharField(label=_("Notes"), required=False, max_length=5000,
                            widget=forms.Textarea(attrs={"rows": 2}),
                            help_text=_("Stored encrypted."))

    def __init__(self, *args, instrument: RiskInstrument, **kwargs):
        super().__init__(*args, **kwargs)
        decisive = _("decisive")
        self.fields["answers"].choices = [
            (item.code, f"{item.text} ({item.weight}{f' · {decisive}' if item.decisive else ''})")
            for item in instrument.items.all()]


class RuleForm(StyledFormMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    days = forms.IntegerField(label=_("Days"), min_value=1, max_value=3650)
    days_minor = forms.IntegerField(label=_("Days, for a child"), min_value=1, max_value=3650)
    first_days = forms.IntegerField(label=_("Days after intake for the first one"), min_value=1,
                                    max_value=3650)
    urgent_days = forms.IntegerField(label=_("Urgent from (days before)"), min_value=1,
                                     max_value=3650)
    count = forms.IntegerField(label=_("Consecutive attempts"), min_value=1, max_value=20)
    level = forms.ChoiceField(label=_("From risk level"), choices=choices.RiskLevel.choices)
    severity = forms.TypedChoiceField(label=_("Severity"), coerce=int,
                                      choices=choices.Severity.choices)
    notify = forms.MultipleChoiceField(label=_("Who is told"), choices=choices.Slot.choices,
                                       widget=forms.CheckboxSelectMultiple)
    explanation_es = forms.CharField(label=_("Explanation (Spanish)"), max_length=2000,
                                     widget=forms.Textarea(attrs={"rows": 3}))
    explanation_en = forms.CharField(label=_("Explanation (English)"), max_length=2000,
                                     required=False, widget=forms.Textarea(attrs={"rows": 3}))
    active = forms.BooleanField(label=_("In use"), required=False)

    def __init__(self, *args, rule: AlertRule, **kwargs):
        initial = {name: getattr(rule, name) for name in
                   ("days", "days_minor", "first_days", "urgent_days", "count", "level",
                    "severity", "notify", "explanation_es", "explanation_en", "active",
                    "version")}
        super().__init__(*args, initial=initial, prefix=f"r{rule.pk}", **kwargs)
        used = PARAMS[choices.Kind(rule.kind)]
        for name in ("days", "days_minor", "first_days", "urgent_days", "count", "level"):
            if name not in used:
                del self.fields[name]


class InstrumentForm(StyledFormMixin, forms.Form):
    """The current items with their weights and texts, one empty row for a new item, the
    thresholds and what changed. Saving publishes a new version."""

    medium_from = forms.IntegerField(label=_("Medium from score"), min_value=1, max_value=200)
    high_from = forms.IntegerField(label=_("High from score"), min_value=2, max_value=200)
    note = forms.CharField(label=_("What changed and why"), max_length=300)
    NEW = 2

    def __init__(self, *args, instrument: RiskInstrument, **kwargs):
        super().__init__(*args, initial={"medium_from": instrument.medium_from,
                                         "high_from": instrument.high_from}, **kwargs)
        self.rows = []
        for n, item in enumerate(list(instrument.items.all()) + [None] * self.NEW):
            names = self._row(n, item)
            self.rows.append({"item": item, "fields": [self[name] for name in names]})

    def _row(self, n: int, item) -> list[str]:
        new = item is None
        fields = {
            f"code_{n}": forms.SlugField(label=_("Code"), max_length=40, required=False,
                                         initial=getattr(item, "code", ""),
                                         disabled=not new),
            f"text_es_{n}": forms.CharField(label=_("Question (Spanish)"), max_length=300,
                                            required=False, initial=getattr(item, "text_es", "")),
            f"text_en_{n}": forms.CharField(label=_("Question (English)"), max_length=300,
                                            required=False, initial=getattr(item, "text_en", "")),
            f"weight_{n}": forms.IntegerField(label=_("Weight"), min_value=0, max_value=20,
                                              required=False,
                                              initial=getattr(item, "weight", None)),
            f"decisive_{n}": forms.BooleanField(label=_("A yes makes the risk high"),
                                                required=False,
                                                initial=getattr(item, "decisive", False)),
        }
        if not new:
            fields[f"keep_{n}"] = forms.BooleanField(label=_("Keep"), required=False, initial=True)
        self.fields.update(fields)
        style(fields.values(), small=True)
        return list(fields)

    def items(self) -> list[dict]:
        """The items of the new version: kept ones, and new rows with a code and a question.
        A weight of 0 drops an item as well."""
        data, result = self.cleaned_data, []
        for n, row in enumerate(self.rows):
            item = row["item"]
            code = item.code if item else (data.get(f"code_{n}") or "")
            if item is not None and not data.get(f"keep_{n}"):
                continue
            if item is None and not code:
                continue
            weight = data.get(f"weight_{n}")
            if not weight:
                continue
            text_es = data.get(f"text_es_{n}") or ""
            if not text_es.strip():
                self.add_error(f"text_es_{n}", _("Write the question in Spanish."))
                continue
            result.append({"code": code, "text_es": text_es,
                           "text_en": data.get(f"text_en_{n}") or "", "weight": weight,
                           "decisive": data.get(f"decisive_{n}", False)})
        return result
