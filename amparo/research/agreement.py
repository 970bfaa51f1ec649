"""Agreement between two coders: Cohen's kappa over the decisions "this theme applies to this
excerpt" (yes or no) that both made, per theme and over the whole codebook."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

WORDS = ((0, _("poor")), (0.2, _("slight")), (0.4, _("fair")), (0.6, _("moderate")),
         (0.8, _("substantial")))


def kappa(pairs: list[tuple[bool, bool]]) -> float | None:
    """Cohen's kappa for two raters' yes/no decisions on the same items; None without items,
    1.0 when both agree on everything and chance agreement is total."""
    n = len(pairs)
    if not n:
        return None
    observed = sum(a == b for a, b in pairs) / n
    yes_a = sum(a for a, _b in pairs) / n
    yes_b = sum(b for _a, b in pairs) / n
    expected = yes_a * yes_b + (1 - yes_a) * (1 - yes_b)
    if expected == 1:
        return 1.0
    return round((observed - expected) / (1 - expected), 3)


def reading(value: float | None) -> str:
    """Landis and Koch's words for a kappa."""
    if value is None:
        return "—"
    for limit, word in WORDS:
        if value <= limit:
            return str(word)
    return str(_("almost perfect"))
