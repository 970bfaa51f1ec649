"""Every use Amparo makes of Splink's internals, in one place.

Splink's public API trains and scores a model; Amparo also reads and sets the prior (the
probability that two random records are the same woman), walks the comparisons' levels to
floor or teach their m and u, drops an expectation-maximisation session that learnt nonsense,
catches Splink's own error and finds its similarity functions for Spark. Those live in
Splink's internals, which a release may change without notice: the names are used here and
nowhere else, and `linkage/tests/test_splink_adapter.py` fails loudly, naming what moved, when
an upgrade changes any of them. Splink is pinned in pyproject.toml for the same reason."""

from __future__ import annotations

from splink.internals.exceptions import SplinkException  # noqa: F401  (re-exported)

LEVEL_ATTRIBUTES = ("is_null_level", "m_probability", "u_probability", "label_for_charts")
COMPARISON_ATTRIBUTES = ("output_column_name", "comparison_levels")


def _model(linker):
    return linker._settings_obj


def prior(linker) -> float:
    """The probability that two records drawn at random are the same person."""
    return _model(linker)._probability_two_random_records_match


def prior_set(linker, value: float) -> None:
    _model(linker)._probability_two_random_records_match = value


def snapshot(linker):
    """The model's m and u values and prior as they are now, to put back with `restore`."""
    import copy

    return copy.deepcopy(_model(linker).core_model_settings)


def restore(linker, saved) -> None:
    _model(linker).core_model_settings = saved


def comparisons(linker) -> list:
    """The model's comparisons, each with `output_column_name` and `comparison_levels`."""
    return list(_model(linker).comparisons)


def levels(comparison, *, nulls: bool = False) -> list:
    """A comparison's levels, strongest agreement first; the null level only with `nulls`.
    Each has `m_probability`, `u_probability` (both writable) and `label_for_charts`."""
    return [lv for lv in comparison.comparison_levels if nulls or not lv.is_null_level]


def em_sessions(linker) -> list:
    """The expectation-maximisation sessions the linker keeps (the last one is the newest)."""
    return linker._em_training_sessions


def em_session_drop(linker, session) -> None:
    """Forget a session whose estimates were refused, so it does not vote in m."""
    linker._em_training_sessions.remove(session)


def spark_similarity_jar() -> str:
    """Splink's jar of similarity functions (Damerau-Levenshtein and others) for Spark SQL."""
    from splink.internals.spark.jar_location import similarity_jar_location

    return similarity_jar_location()


def contract(linker) -> list[str]:
    """What Amparo relies on and this Splink no longer has, in words (empty when all holds)."""
    missing = []
    try:
        value = prior(linker)
        prior_set(linker, value)
        if not isinstance(value, float):
            missing.append(f"the prior is a {type(value).__name__}, not a float")
    except AttributeError as error:
        missing.append(f"the prior: {error}")
    try:
        found = comparisons(linker)
    except AttributeError as error:
        return [*missing, f"the comparisons: {error}"]
    for comparison in found:
        missing += [f"comparison.{a}" for a in COMPARISON_ATTRIBUTES
                    if not hasattr(comparison, a)]
        for level in getattr(comparison, "comparison_levels", []):
            if not hasattr(level, "is_null_level"):
                missing.append("level.is_null_level")
                continue
            wanted = ("label_for_charts",) if level.is_null_level else LEVEL_ATTRIBUTES
            missing += [f"level.{a}" for a in wanted if not hasattr(level, a)]
    try:
        em_sessions(linker)
    except AttributeError as error:
        missing.append(f"the EM sessions: {error}")
    try:
        restore(linker, snapshot(linker))
    except AttributeError as error:
        missing.append(f"the model's settings: {error}")
    return sorted(set(missing))
