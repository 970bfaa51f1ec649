"""Counts for people outside the care team, with differential privacy (OpenDP): each count of a
histogram gets discrete Laplace noise (pure ε) or discrete Gaussian noise (ε at a small δ),
calibrated so that adding or removing one person changes what anyone can learn by at most the
release's ε. A person is counted once, in one category, so the histogram's sensitivity is 1.
The categories are fixed before looking at the data (every value of the dimension), so an
empty category is released too, with its noise."""

from __future__ import annotations

from dataclasses import dataclass

import opendp.prelude as dp

dp.enable_features("contrib")
DELTA = 1e-7  # for the Gaussian mechanism, far below 1 / the number of people
ALPHA = 0.05  # the margin is the half-width of a 95 % interval


@dataclass
class Noisy:
    answer: dict  # category -> noisy count (never below 0 once shown)
    scale: float
    margin: float
    delta: float


def _laplace(scale: float):
    space = dp.vector_domain(dp.atom_domain(T=int)), dp.l1_distance(T=int)
    return space >> dp.m.then_laplace(scale=scale)


def _gaussian(scale: float):
    space = dp.vector_domain(dp.atom_domain(T=int)), dp.l2_distance(T=int)
    return dp.c.make_fix_delta(dp.c.make_zCDP_to_approxDP(
        space >> dp.m.then_gaussian(scale=scale)), DELTA)


def noisy_counts(exact: dict[str, int], epsilon: float, mechanism: str = "laplace") -> Noisy:
    """The counts with noise for a privacy loss of `epsilon`."""
    if epsilon <= 0:
        raise ValueError("epsilon must be positive")
    categories = list(exact)
    values = [int(exact[c]) for c in categories]
    if mechanism == "gaussian":
        scale = dp.binary_search_param(_gaussian, d_in=1, d_out=(epsilon, DELTA))
        measurement = _gaussian(scale)
        assert measurement.map(1)[0] <= epsilon + 1e-9
        margin = dp.discrete_gaussian_scale_to_accuracy(scale, ALPHA)
        delta = DELTA
    else:
        scale = dp.binary_search_param(_laplace, d_in=1, d_out=epsilon)
        measurement = _laplace(scale)
        assert measurement.map(1) <= epsilon + 1e-9
        margin = dp.discrete_laplacian_scale_to_accuracy(scale, ALPHA)
        delta = 0.0
    released = measurement(values) if values else []
    return Noisy({c: max(0, int(v)) for c, v in zip(categories, released, strict=True)},
                 float(scale), float(margin), delta)
