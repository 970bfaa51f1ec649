"""One way to number things per year (a case, an activity, an information request): a counter
row per key, advanced in place, so two saves at the same moment never get the same number."""

from __future__ import annotations

from django.db.models import F


def counter_take(model, *, count: int = 1, **key) -> int:
    """Take `count` numbers from the counter `model` (a row with `last`, keyed by `key`: an
    office and a year, or a year). Returns the last number taken: the caller's numbers are
    `last - count + 1` to `last`. The UPDATE holds the row until the caller's transaction
    ends, so numbers are never given twice."""
    model.objects.get_or_create(**key)
    model.objects.filter(**key).update(last=F("last") + count)
    return model.objects.get(**key).last
