"""Small cells in published tables: a count from 1 to 9 shows as "<10", so that no one can be
picked out of a small group; and when a row's total is shown and only one of its cells was
hidden, the next smallest is hidden too (the total minus the others would reveal it). Internal
tables show every number."""

from __future__ import annotations

from decimal import Decimal

SMALL = "<10"
LIMIT = 10


def small(value) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool) and (
        0 < value < LIMIT)


def published(breakdown: dict, *, with_total: bool = True) -> dict:
    """A breakdown {category: count} as it may be published."""
    hidden = {k for k, v in breakdown.items() if small(v)}
    if with_total and len(hidden) == 1:
        others = sorted((v, k) for k, v in breakdown.items() if k not in hidden and v)
        if others:
            hidden.add(others[0][1])  # the complementary cell
    return {k: (SMALL if k in hidden else v) for k, v in breakdown.items()}


def published_total(total) -> object:
    return SMALL if small(total) else total
