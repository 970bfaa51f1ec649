import functools

from django.db.models import Count, Q, QuerySet

from amparo.reference.models import Department, District, Province, Term, Vocabulary


def vocabulary_list() -> QuerySet[Vocabulary]:
    return Vocabulary.objects.annotate(
        active_terms=Count("terms", filter=Q(terms__active=True)),
        retired_terms=Count("terms", filter=Q(terms__active=False)),
    )


def terms_of(vocabulary_code: str, *, include_retired: bool = False) -> QuerySet[Term]:
    """The terms of one vocabulary, in their order; retired terms only when asked (to show a
    stored code, never to offer it for a new record)."""
    terms = Term.objects.filter(vocabulary__code=vocabulary_code)
    return terms if include_retired else terms.filter(active=True)


def ubigeo_exists(code: str) -> bool:
    """A department (2 digits), province (4) or district (6) in the reference table."""
    return code in _ubigeo_codes()


@functools.lru_cache(maxsize=1)
def _ubigeo_codes() -> frozenset[str]:
    # About 2,100 codes, read once per process: an import checks one per row. UBIGEO changes
    # by law a few times a decade; `amparo reference load` is followed by a restart.
    return frozenset(code for model in (Department, Province, District)
                     for code in model.objects.values_list("code", flat=True))


def department_names() -> dict[str, str]:
    """Department code → name, for the pages that show a department by its code."""
    return dict(Department.objects.values_list("code", "name"))
