"""Working days in Peru: Saturdays, Sundays and national holidays do not count. Used by the
deadlines of criminal procedure and of information requests (Ley 27806), and by any new
working-day rule.

The holidays come from the maintained `holidays` library (Peru's calendar as laws change it:
Ley 31788 and those that follow), not from a list kept here."""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import holidays as calendars


@lru_cache(maxsize=64)
def holidays(year: int) -> frozenset[date]:
    """Peru's national holidays of a year (Holy Thursday and Good Friday included)."""
    return frozenset(calendars.country_holidays("PE", years=year).keys())


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
