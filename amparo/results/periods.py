"""Reporting periods of a framework: calendar or fiscal years (starting in any month), quarters,
half years, project years counted from the framework's start, or the whole life of the project.
Each period is (label, first day, last day), inside the framework's dates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from amparo.results.choices import PeriodKind


@dataclass(frozen=True)
class Period:
    label: str
    start: date
    end: date

    @property
    def key(self) -> str:
        return f"{self.start.isoformat()}_{self.end.isoformat()}"


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    return date(day.year + month // 12, month % 12 + 1, 1)


def periods(kind: str, starts_on: date, ends_on: date, *, fiscal_start_month: int = 1
            ) -> list[Period]:
    if kind == PeriodKind.LIFE:
        return [Period(f"{starts_on.year}–{ends_on.year}", starts_on, ends_on)]
    if kind == PeriodKind.PROJECT:
        out, start, n = [], starts_on, 1
        while start <= ends_on:
            nxt = date(start.year + 1, start.month, min(start.day, 28))
            out.append(Period(f"A{n}", start, min(nxt - timedelta(days=1), ends_on)))
            start, n = nxt, n + 1
        return out
    months = {PeriodKind.QUARTER: 3, PeriodKind.SEMESTER: 6}.get(kind, 12)
    first_month = fiscal_start_month if kind == PeriodKind.FISCAL else 1
    # The period that contains the framework's first day, aligned to the year's start month.
    anchor = date(starts_on.year if starts_on.month >= first_month else starts_on.year - 1,
                  first_month, 1)
    while _add_months(anchor, months) <= starts_on:
        anchor = _add_months(anchor, months)
    out, start = [], anchor
    while start <= ends_on:
        end = _add_months(start, months) - timedelta(days=1)
        out.append(Period(_label(kind, start, end, first_month), max(start, starts_on),
                          min(end, ends_on)))
        start = end + timedelta(days=1)
    return out


def _label(kind: str, start: date, end: date, first_month: int) -> str:
    if kind == PeriodKind.QUARTER:
        return f"{start.year}-T{(start.month - 1) // 3 + 1}"
    if kind == PeriodKind.SEMESTER:
        return f"{start.year}-S{(start.month - 1) // 6 + 1}"
    if kind == PeriodKind.FISCAL and first_month != 1:
        return f"AF{end.year}"  # named by the year it ends in, as the US fiscal year is
    return str(start.year)


def framework_periods(framework) -> list[Period]:
    return periods(framework.period_kind, framework.starts_on, framework.ends_on,
                   fiscal_start_month=framework.fiscal_start_month)
