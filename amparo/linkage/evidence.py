"""The evidence of a candidate as the review page shows it: the two records side by side, and
Splink's waterfall: the prior, then what each field added or took away (in match weight, the
log2 of the Bayes factor), ending at the match probability."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from amparo.linkage.comparisons import COMPARISONS

LEVELS = {(c.key, lv.key): lv.label for c in COMPARISONS for lv in c.levels}
LABELS = {c.key: c.label for c in COMPARISONS}


@dataclass(frozen=True)
class Step:
    field: object
    level: object
    weight: float
    start: float  # cumulative weight before this step
    end: float
    left: float  # the bar's position and width on the page, percent of the scale
    width: float


def _probability(weight: float) -> float:
    factor = 2 ** weight
    return factor / (1 + factor)


def waterfall(evidence: list) -> dict:
    steps, total = [], 0.0
    for name, level, weight in evidence:
        steps.append((name, level, weight, total, total + weight))
        total += weight
    low = min([0.0] + [min(s[3], s[4]) for s in steps])
    high = max([0.0] + [max(s[3], s[4]) for s in steps])
    span = (high - low) or 1.0
    out = []
    for name, level, weight, start, end in steps:
        label = _("Prior (before comparing)") if name == "prior" else LABELS.get(name, name)
        level_label = "" if name == "prior" else LEVELS.get((name, level), level)
        out.append(Step(label, level_label, weight, start, end,
                        left=100 * (min(start, end) - low) / span,
                        width=max(100 * abs(weight) / span, 0.5)))
    return {"steps": out, "total": total, "probability": _probability(total),
            "zero": 100 * (0 - low) / span}


REPORT_SEX = {"F": "mujer", "M": "hombre"}  # the report's F/M as the vocabulary's codes


def _identity(info, labels) -> dict:
    identity = info["identity"] if info else None
    if identity is None:
        return {}
    document_type = labels["tipo_documento"].get(identity.document_type, identity.document_type)
    return {"given": identity.given_names, "paternal": identity.paternal_surname,
            "maternal": identity.maternal_surname,
            "sex": labels["sexo"].get(identity.sex, identity.sex),
            "birth": identity.birth_date, "age": identity.estimated_age,
            "document": " ".join(str(p) for p in (document_type, identity.document_number) if p),
            "place": identity.origin_ubigeo}


def _report(report, labels) -> dict:
    sex = REPORT_SEX.get(report.sex, "")
    return {"given": report.given_names, "paternal": report.paternal_surname,
            "maternal": report.maternal_surname, "sex": labels["sexo"].get(sex, report.sex),
            "birth": report.birth_date, "age": report.age, "document": " ".join(
                p for p in (report.document_type.upper(), report.document_number) if p),
            "place": report.district or report.department}


ROWS = (("given", _("Given names")), ("paternal", _("Paternal surname")),
        ("maternal", _("Maternal surname")), ("sex", _("Sex")), ("birth", _("Birth date")),
        ("age", _("Age")), ("document", _("Document")), ("place", _("Place (UBIGEO)")))
VOCABULARIES = ("sexo", "tipo_documento")


def rows_for(candidate, left, right, labels) -> list[tuple]:
    """(label, first record's value, second record's value) for each field; `labels` are the
    vocabularies' (`VOCABULARIES`)."""
    if candidate.report_id:
        first, second = _report(candidate.report, labels), _identity(left, labels)
    else:
        first, second = _identity(left, labels), _identity(right, labels)
    return [(label, first.get(key) or "—", second.get(key) or "—") for key, label in ROWS]
