from django.db.models import Count, Q, QuerySet

from amparo.reference.models import Term, Vocabulary


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
