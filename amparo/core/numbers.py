"""Numbers as people type them in a form: "3.600.000", "3 600 000", "S/ 1,200.50", "12,5".
A single separator followed by exactly three digits groups thousands (as Peruvian amounts are
written); otherwise it marks the decimals."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

_NOISE = re.compile(r"(?i)s/\.?|us\$|\$|usd|pen|soles?|%|\s")


def number_typed(text) -> Decimal:
    """The number in `text`, or ValueError when there is none."""
    if isinstance(text, int | float | Decimal) and not isinstance(text, bool):
        number = Decimal(str(text))
        if not number.is_finite():
            raise ValueError(text)
        return number
    cleaned = _NOISE.sub("", str(text or "")).replace("\u00a0", "")
    if not cleaned:
        raise ValueError("empty")
    dots, commas = cleaned.count("."), cleaned.count(",")
    if dots and commas:  # the last one marks the decimals
        decimals = "." if cleaned.rfind(".") > cleaned.rfind(",") else ","
        thousands = "," if decimals == "." else "."
        cleaned = cleaned.replace(thousands, "").replace(decimals, ".")
    elif dots + commas:
        mark = "." if dots else ","
        groups = cleaned.split(mark)
        if len(groups) > 2 or (len(groups[-1]) == 3 and groups[0].lstrip("-") not in ("", "0")):
            cleaned = cleaned.replace(mark, "")
        else:
            cleaned = cleaned.replace(mark, ".")
    try:
        number = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(text) from None
    if not number.is_finite() or abs(number.adjusted()) > 30:  # NaN, Infinity, 1e999999
        raise ValueError(text)
    return number


def soles(value) -> str:
    """An amount in soles the way Peru writes it in a report: "S/ 64,000.00" (a comma for the
    thousands, a point for the cents, whatever the interface's language); "—" when unknown."""
    if value is None or value == "":
        return "—"
    return f"S/ {Decimal(value):,.2f}"
