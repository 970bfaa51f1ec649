"""The options a target field accepts, read once per import: vocabulary terms (code and both
labels), the case workflow's choices, the offices and UBIGEO places. Labels are folded (no
accents, lower case) so that "Explotación sexual" and "explotacion sexual" are the same."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml
from django.utils import translation

from amparo.cases import choices as case_choices
from amparo.core.text import fold
from amparo.imports.fields import FIELDS, Field


class Options:
    def __init__(self):
        self._labels: dict[str, dict[str, str]] = {}
        self._aliased: dict[str, set[str]] = {}
        self._places = None

    def labels(self, spec: Field) -> dict[str, str]:
        """Folded label, code or known alias (imports/data/aliases.yaml) → code."""
        name = spec.vocabulary or spec.choices or spec.kind
        if name not in self._labels:
            options = _load(spec)
            codes, added = set(options.values()), set()
            for alias, code in aliases().get(name, {}).items():
                if code in codes and fold(str(alias)) not in options:  # never a retired code
                    options[fold(str(alias))] = code
                    added.add(fold(str(alias)))
            self._labels[name], self._aliased[name] = options, added
        return self._labels[name]

    def aliased(self, spec: Field) -> set[str]:
        """The folded values known only as aliases (a proposal marks them for review)."""
        self.labels(spec)
        return self._aliased[spec.vocabulary or spec.choices or spec.kind]

    def codes(self, spec: Field) -> set[str]:
        return set(self.labels(spec).values())

    def has(self, target: str, code: str) -> bool:
        spec = FIELDS[target]
        if spec.kind == "yesno":
            return fold(code) in YES_NO
        if spec.kind == "place":
            return code in self.places().labels
        return code in self.codes(spec)

    def places(self):
        from amparo.imports.parsers import Places

        if self._places is None:
            self._places = Places.load()
        return self._places


@lru_cache(maxsize=1)
def aliases() -> dict[str, dict[str, str]]:
    """Demonyms, ISO alpha-3 codes, everyday words and abbreviations, per vocabulary."""
    with open(Path(__file__).parent / "data" / "aliases.yaml", encoding="utf-8") as source:
        return yaml.safe_load(source) or {}


YES_NO = {"si": "si", "s": "si", "x": "si", "1": "si", "true": "si", "yes": "si",
          "no": "no", "n": "no", "0": "no", "false": "no"}


def _load(spec: Field) -> dict[str, str]:
    if spec.kind == "yesno":
        return YES_NO
    if spec.kind == "vocab":
        from amparo.reference.models import Term

        options = {}
        for code, es, en in Term.objects.filter(vocabulary__code=spec.vocabulary,
                                                active=True).values_list(
                "code", "label_es", "label_en"):
            for text in (code, code.replace("_", " "), es, en):
                options.setdefault(fold(text), code)
        return options
    if spec.kind == "choice":
        from amparo.imports import fields as import_fields
        from amparo.prevention import choices as prevention_choices

        enum = (getattr(case_choices, spec.choices, None)
                or getattr(prevention_choices, spec.choices, None)
                or getattr(import_fields, spec.choices))
        options = {fold(value): value for value in enum.values}
        options |= {fold(value.replace("_", " ")): value for value in enum.values}
        for language in ("es", "en"):
            with translation.override(language):
                for value, label in enum.choices:
                    options.setdefault(fold(str(label)), value)
        return options
    if spec.kind == "office":
        from amparo.accounts.models import Office

        options = {}
        for code, name in Office.objects.values_list("code", "name"):
            options[fold(code)] = code
            options[fold(name)] = code
            options.setdefault(fold(name.replace("Oficina ", "")), code)
        return options
    return {}
