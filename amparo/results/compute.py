"""An indicator's value over a range, computed from the records as its `measure` says:

    {"source": "services", "count": "people", "where": {"minor": true}}
    {"source": "reparations", "count": "sum"}
    {"numerator": {...}, "denominator": {...}}            (a percent)

`count` is "people" (distinct persons), "cases" (distinct cases), "records" or "sum" (of the
source's amount). People are counted once over the whole range, whatever the periods inside it:
the range is read at once, never added up from periods.

A breakdown puts each person (or case, or record) in one category of the dimension: her value
on her latest record in the range, so every breakdown sums to its total; what is not recorded
is its own row ("no registrado"), never dropped."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Min
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from amparo.accounts.models import Office
from amparo.cases.access import cases_for_job
from amparo.cases.choices import EpisodeKind
from amparo.cases.models import Episode
from amparo.prevention.choices import Audience
from amparo.reference.models import Department, Term
from amparo.results.sources import SOURCES, Dimension, path_of

NOT_RECORDED = "no_registrado"
SEVERAL = "varias"
ABROAD = "extranjero"
AGE_BANDS = [(0, 11, "0–11"), (12, 14, "12–14"), (15, 17, "15–17"), (18, 24, "18–24"),
             (25, 34, "25–34"), (35, 200, "35+")]
COUNTS = ("people", "cases", "records", "sum")


@dataclass
class Measured:
    value: Decimal
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    breakdowns: dict = field(default_factory=dict)  # dimension -> {category label: number}
    records_read: int = 0


def check(measure: dict) -> None:
    """A measure that can be computed, or a message that says what is wrong in it."""
    parts = [measure["numerator"], measure["denominator"]] if "numerator" in measure else [
        measure]
    for part in parts:
        source = SOURCES.get(part.get("source"))
        if source is None:
            raise ValidationError(_("Unknown source “%(s)s”; use one of: %(all)s.") % {
                "s": part.get("source"), "all": ", ".join(SOURCES)})
        if part.get("count") not in COUNTS:
            raise ValidationError(_("“count” is one of: %(all)s.") % {"all": ", ".join(COUNTS)})
        if part["count"] == "sum" and not source.amount:
            raise ValidationError(_("%(s)s has no amount to sum.") % {"s": source.key})
        unknown = set(part.get("where") or {}) - set(source.filters)
        if unknown:
            raise ValidationError(_("%(s)s cannot be filtered by %(f)s; it can by: %(all)s.") % {
                "s": source.key, "f": ", ".join(sorted(unknown)),
                "all": ", ".join(source.filters) or "—"})


def measure(spec: dict, user, start: date, end: date, by: list[str] = (), *,
            codes: bool = False, spread: bool = False) -> Measured:
    """The value over the range and its breakdowns by the dimensions in `by`, keyed by the
    labels people read (or by the stored codes with `codes`). With `spread` (for a map), a
    unit in several categories (a case exploited in two departments) counts in each of them,
    and the breakdown no longer sums to the total."""
    check(spec)
    if "numerator" in spec:
        top = _count(spec["numerator"], user, start, end, by, spread)
        bottom = _count(spec["denominator"], user, start, end, (), spread)
        share = (top.value * 100 / bottom.value).quantize(Decimal("0.1")) if bottom.value else (
            Decimal(0))
        result = Measured(share, top.value, bottom.value, top.breakdowns,
                          top.records_read + bottom.records_read)
    else:
        result = _count(spec, user, start, end, by, spread)
    if not codes:
        dimensions = SOURCES[(spec.get("numerator") or spec)["source"]].dimensions
        result.breakdowns = {key: labelled(dimensions[key], counts)
                             for key, counts in result.breakdowns.items()}
    return result


def _count(spec: dict, user, start: date, end: date, by, spread: bool) -> Measured:
    source = SOURCES[spec["source"]]
    rows = source.rows(user, start, end)
    for name, wanted in (spec.get("where") or {}).items():
        path = source.filters[name]
        rows = rows.filter(**{f"{path}__in": wanted} if isinstance(wanted, list) else {
            path: wanted})
    dimensions = [source.dimensions[key] for key in by if key in source.dimensions]
    paths = {d.key: path_of(source, d) for d in dimensions if path_of(source, d)}
    fields = [source.date, source.person, source.case or source.person,
              source.amount or source.person, *paths.values()]
    if source.of_cases:
        fields += [source.prefix + "intake_date", source.prefix + "person__identity__birth_date"]
    records = list(rows.values_list(*fields))
    count = spec["count"]
    unit_of = {"people": 1, "cases": 2, "records": None, "sum": 1}[count]
    # The unit counted and its latest record in the range (its categories come from there).
    latest: dict = {}
    amounts: Counter = Counter()
    for index, row in enumerate(records):
        key = index if unit_of is None else row[unit_of]
        if count == "sum":
            amounts[key] += Decimal(row[3] or 0)
        if key not in latest or (row[0] or date.min) >= (latest[key][0] or date.min):
            latest[key] = row
    value = sum(amounts.values(), Decimal(0)) if count == "sum" else Decimal(len(latest))
    result = Measured(value, records_read=len(records))
    kinds = {d.kind for d in dimensions}
    first_intake = _first_intakes(rows, source) if "new" in kinds else {}
    places = _exploitation_places(rows, source) if "exploitation" in kinds else {}
    for dimension in dimensions:
        counter: Counter = Counter()
        column = 4 + list(paths).index(dimension.key) if dimension.key in paths else None
        for key, row in latest.items():
            if dimension.kind == "age":  # at intake
                found = [_age_band(row[-2], row[-1])]
            elif dimension.kind == "age_event":  # on the record's own date
                found = [_age_band(row[0], row[-1])]
            elif dimension.kind == "new":
                first = first_intake.get(row[1])
                found = ["nuevo" if first and first >= start else "continuo"]
            elif dimension.kind == "exploitation":
                where = sorted(places.get(row[2], ()))
                found = (where if spread else [where[0] if len(where) == 1 else SEVERAL]) if (
                    where) else [NOT_RECORDED]
            else:
                found = [_category(dimension, row[column])]
            for category in found:
                counter[category] += amounts[key] if count == "sum" else 1
        counter.setdefault(NOT_RECORDED, 0)
        result.breakdowns[dimension.key] = {str(k): _plain(v) for k, v in counter.items()}
    return result


def _exploitation_places(rows, source) -> dict:
    """Each counted case's departments of exploitation (or "abroad"), from its episodes."""
    places: dict = {}
    for case, ubigeo, country in Episode.objects.filter(
            case_id__in=rows.values(source.case), kind=EpisodeKind.EXPLOITATION).values_list(
            "case_id", "place_ubigeo", "place_country"):
        if ubigeo:
            places.setdefault(case, set()).add(ubigeo[:2])
        elif country and country != "PE":
            places.setdefault(case, set()).add(ABROAD)
    return places


def _first_intakes(rows, source) -> dict:
    """Each counted person's first intake ever (a subquery, however many people)."""
    return dict(cases_for_job("indicators").filter(person_id__in=rows.values(source.person)).values(
        "person_id").annotate(first=Min("intake_date")).values_list("person_id", "first"))


def _age_band(on: date | None, birth: date | None) -> str:
    if not on or not birth:
        return NOT_RECORDED
    years = on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))
    return next((label for low, high, label in AGE_BANDS if low <= years <= high), NOT_RECORDED)


def _category(dimension: Dimension, raw) -> str:
    if dimension.kind == "bool":
        return "menor" if raw else "adulta"
    if dimension.kind == "forms":
        forms = list(raw or [])
        return forms[0] if len(forms) == 1 else SEVERAL if forms else NOT_RECORDED
    if dimension.kind == "department":
        return (raw or "")[:2] or NOT_RECORDED
    return raw if raw not in (None, "") else NOT_RECORDED


def labelled(dimension: Dimension, counter: dict) -> dict:
    """Categories as people read them, in a stable order, "not recorded" last."""
    labels = _labels(dimension)
    order = list(labels)
    rows = sorted(counter.items(), key=lambda kv: (
        kv[0] == NOT_RECORDED, order.index(kv[0]) if kv[0] in order else len(order), str(kv[0])))
    return {str(labels.get(code, code)): _plain(n) for code, n in rows}


def _plain(number):
    return int(number) if isinstance(number, int) or number == int(number) else float(number)


def categories(dimension: Dimension) -> list[tuple[str, str]]:
    """The categories a target can be set for: (code, label), "not recorded" left out."""
    return [(code, str(label)) for code, label in _own(dimension).items()]


def _labels(dimension: Dimension) -> dict:
    return {**_own(dimension), NOT_RECORDED: _("not recorded"), SEVERAL: _("several"),
            ABROAD: _("abroad")}


def _own(dimension: Dimension) -> dict:
    """The dimension's own categories, in their order."""
    kind = dimension.kind
    if dimension.vocabulary:
        spanish = (get_language() or "es").startswith("es")
        own = {t.code: t.label_es if spanish else t.label_en for t in Term.objects.filter(
            vocabulary__code=dimension.vocabulary).order_by("position")}
        return {**own, SEVERAL: _("several")} if kind == "forms" else own
    if kind == "department":
        return dict(Department.objects.values_list("code", "name"))
    if kind == "exploitation":
        return {**dict(Department.objects.values_list("code", "name")),
                SEVERAL: _("several"), ABROAD: _("abroad")}
    if kind == "office":
        return dict(Office.objects.values_list("code", "name"))
    if kind == "audience":
        return dict(Audience.choices)
    if kind in ("age", "age_event"):
        return {label: label for _low, _high, label in AGE_BANDS}
    if kind == "bool":
        return {"menor": _("minor"), "adulta": _("adult")}
    if kind == "new":
        return {"nuevo": _("new"), "continuo": _("continuing")}
    return {}


COUNTED = {"people": _("distinct people"), "cases": _("distinct cases"),
           "records": _("records"), "sum": _("the sum of the amounts")}


def measure_said(spec: dict) -> str:
    """How an indicator is computed, in words a coordinator reads ("distinct people in
    Services delivered, where minor: yes"), never the stored spec."""
    if "numerator" in spec:
        return _("%(top)s, as a percentage of %(bottom)s") % {
            "top": measure_said(spec["numerator"]), "bottom": measure_said(spec["denominator"])}
    source = SOURCES.get(spec.get("source"))
    if source is None:
        return str(_("a measure Amparo does not know"))
    said = _("%(what)s in %(source)s") % {
        "what": COUNTED.get(spec.get("count"), spec.get("count")), "source": source.label}
    where = spec.get("where") or {}
    if where:
        said += ", " + _("where %(filters)s") % {"filters": "; ".join(
            f"{name}: {_('yes') if value is True else _('no') if value is False else value}"
            for name, value in where.items())}
    return str(said)
