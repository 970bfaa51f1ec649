"""What the case file's forms share: vocabularies as choices, a versioned form."""

from __future__ import annotations

from django import forms

from amparo.core.forms import BLANK, StyledFormMixin
from amparo.reference.models import Term


def _vocabularies(form, mapping: dict[str, str]) -> None:
    """Fill the choices of vocabulary fields with one query."""
    wanted = set(mapping.values())
    found: dict[str, list] = {v: [] for v in wanted}
    for vocab, code, es, en in Term.objects.filter(
        vocabulary__code__in=wanted, active=True
    ).values_list("vocabulary__code", "code", "label_es", "label_en"):
        found[vocab].append((code, en if _english() else es))
    for field_name, vocab in mapping.items():
        field = form.fields.get(field_name)
        if field is None:
            continue
        if isinstance(field, forms.MultipleChoiceField):
            field.choices = found[vocab]
        else:
            field.choices = BLANK + found[vocab]


def _english() -> bool:
    from django.utils.translation import get_language

    return (get_language() or "es").startswith("en")


def _ubigeo_code(value) -> str:
    return value.code if value else ""


class VersionedForm(StyledFormMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
