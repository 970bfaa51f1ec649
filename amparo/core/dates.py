"""Working days in Peru: Saturdays, Sundays and national holidays do not count. Used by the
deadlines of criminal procedure and of information requests (Ley 27806)."""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

# Fixed national holidays (month, day), with the year each began (Ley 31788 and others).
FIXED = [((1, 1), 0), ((5, 1), 0), ((6, 7), 2022), ((6, 29), 0), ((7, 23), 2022), ((7, 28), 0),
         ((7, 29), 0), ((8, 6), 2024), ((8, 30), 0), ((10, 8), 0), ((11, 1), 0), ((12, 8), 0),
         ((12, 9), 2022), ((12, 25), 0)]


def easter(year: int) -> date:
    """Easter Sunday (the anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    el = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 19 * el) // 433
    month = (h + el - 7 * m + 114) // 31
    day = (h + el - 7 * m + 114) % 31 + 1
    return date(year, month, day)


@lru_cache(maxsize=64)
def holidays(year: int) -> frozenset[date]:
    """National holidays of a year: the fixed ones and Holy Thursday and Good Friday."""
    days = {date(year, m, d) for (m, d), since in FIXED if year >= since}
    sunday = easter(year)
    return frozenset(days | {sunday - timedelta(days=3), sunday - timedelta(days=2)})


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in holidays(day.year)


def working_days_after(start: date, days: int) -> date:
    """The day `days` working days after `start` (the start itself does not count)."""
    day, left = start, days
    while left > 0:
        day += timedelta(days=1)
        if is_working_day(day):
            left -= 1
    return day
