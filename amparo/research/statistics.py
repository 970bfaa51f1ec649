"""Exact counts of people by one dimension, over a fixed set of categories (every value the
dimension can take, "not recorded" included), for the noisy releases of `privacy.py`. A person
with several cases counts once, in the category of her latest case."""

from __future__ import annotations

from collections import Counter

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from amparo.cases.access import cases_for_job
from amparo.cases.models import Case
from amparo.cases.models.case import age_on
from amparo.reference.models import Department, Term
from amparo.research.export import AGE_BANDS

NOT_RECORDED = "no_registrado"
SEVERAL = "varias"
DIMENSIONS = {
    "sex": gettext_lazy("Sex"),
    "age": gettext_lazy("Age band at intake"),
    "nationality": gettext_lazy("Nationality"),
    "department": gettext_lazy("Department of origin"),
    "year": gettext_lazy("Year of registration"),
    "form": gettext_lazy("Form of exploitation"),
}
VOCABULARIES = {"sex": "sexo", "nationality": "nacionalidad", "form": "forma_explotacion"}


def categories_of(dimensions, first_year: int, last_year: int) -> dict[str, dict[str, str]]:
    """`categories` of several dimensions, reading the vocabularies they use at once."""
    wanted = set(dimensions)
    vocabularies = {VOCABULARIES[d]: d for d in wanted if d in VOCABULARIES}
    terms: dict[str, dict[str, str]] = {d: {} for d in vocabularies.values()}
    for vocabulary, code, label in (Term.objects.filter(vocabulary__code__in=vocabularies)
                                    .exclude(code=NOT_RECORDED).order_by("position")
                                    .values_list("vocabulary__code", "code", "label_es")):
        terms[vocabularies[vocabulary]][code] = label
    return {d: categories(d, first_year, last_year, terms=terms.get(d)) for d in wanted}


def categories(dimension: str, first_year: int, last_year: int, *,
               terms: dict[str, str] | None = None) -> dict[str, str]:
    """Every category of the dimension (code -> label), decided without reading any case;
    `terms`, the vocabulary's already read."""
    if dimension in VOCABULARIES:
        found = dict(terms) if terms is not None else dict(
            Term.objects.filter(vocabulary__code=VOCABULARIES[dimension]).exclude(
                code=NOT_RECORDED).order_by("position").values_list("code", "label_es"))
        if dimension == "form":
            found[SEVERAL] = _("several")
    elif dimension == "department":
        found = dict(Department.objects.order_by("code").values_list("code", "name"))
    elif dimension == "age":
        found = {label: label for _low, _high, label in AGE_BANDS}
    elif dimension == "year":
        found = {str(y): str(y) for y in range(first_year, last_year + 1)}
    else:
        raise ValueError(dimension)
    return {**found, NOT_RECORDED: _("not recorded")}


def _category(dimension: str, case: Case) -> str:
    identity = case.person.identity
    if dimension == "sex":
        return identity.sex or NOT_RECORDED
    if dimension == "nationality":
        return identity.nationality or NOT_RECORDED
    if dimension == "department":
        return (identity.origin_ubigeo or "")[:2] or NOT_RECORDED
    if dimension == "year":
        return str(case.intake_date.year)
    if dimension == "age":
        years = age_on(identity.birth_date, identity.estimated_age, case.intake_date)
        return next((label for low, high, label in AGE_BANDS
                     if years is not None and low <= years <= high), NOT_RECORDED)
    forms = list(case.forms or [])
    return forms[0] if len(forms) == 1 else SEVERAL if forms else NOT_RECORDED


def exact_counts(cases, dimension: str, first_year: int, last_year: int) -> dict[str, int]:
    """People in `cases` by the dimension, every category present (zero when empty)."""
    latest: dict = {}
    for case in cases_for_job("research").filter(pk__in=cases.values("pk")).select_related(
            "person__identity").order_by("intake_date", "pk"):
        latest[case.person_id] = case
    counted = Counter(_category(dimension, case) for case in latest.values())
    known = categories(dimension, first_year, last_year)
    counts = {code: counted.get(code, 0) for code in known}
    counts[NOT_RECORDED] += sum(n for code, n in counted.items() if code not in known)
    return counts
