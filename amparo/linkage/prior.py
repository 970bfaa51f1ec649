"""The prior of a match (the share of true pairs among all compared) fitted to the scored
pairs themselves, so that a probability means the same at any size of file."""

from __future__ import annotations

import math


def prior_fixed_point(factors: list[tuple[float, int]], comparisons: int) -> float | None:
    """The share λ of true pairs among `comparisons` at which the scored pairs' probabilities
    add up to λ × comparisons. `factors`: (Bayes factor, number of pairs with it). The
    expected count Σ n·λB/(λB + 1 − λ) grows more slowly than λ × comparisons past the root,
    so bisection on log λ finds it; None when the pairs hold no evidence of any true pair
    (the sum of the factors is below the number of comparisons)."""
    if comparisons <= 0 or sum(b * n for b, n in factors) <= comparisons:
        return None

    def excess(share: float) -> float:
        odds = share / (1 - share)
        return sum(n * odds * b / (odds * b + 1) for b, n in factors) - share * comparisons

    low, high = math.log(1e-15), math.log(0.5)
    if excess(math.exp(high)) > 0:
        return 0.5
    for _ in range(80):
        middle = (low + high) / 2
        if excess(math.exp(middle)) > 0:
            low = middle
        else:
            high = middle
    return math.exp(low)
