"""Reads of the results: an indicator's value over any range under its time rule, the framework's
table of targets against actuals for a period, and values over the periods for a chart.

Who reads decides what is counted: a coordinator's numbers are her office's (the records in her
scope, computed now); the director's are the organisation's, and where a value was stored for
the period (approved, locked), that value is the one shown."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import QuerySet
from django.utils import timezone

from amparo.accounts.permissions import can
from amparo.results import compute
from amparo.results.choices import TimeRule
from amparo.results.models import Framework, Indicator, Target, Value
from amparo.results.periods import Period, framework_periods
from amparo.results.sources import dimensions_for


def frameworks_for(user) -> QuerySet[Framework]:
    return Framework.objects.all() if can(user, "results.view") else Framework.objects.none()


def value_over(indicator: Indicator, user, start: date, end: date,
               by: list[str] = ()) -> compute.Measured | None:
    """The value over a range by the indicator's time rule: distinct people and sums read the
    whole range at once (a person served in two quarters counts once in the year); the last
    value and the average go period by period. None for a manual indicator without values."""
    if not indicator.computed:
        stored = Value.objects.filter(indicator=indicator, period_start__gte=start,
                                      period_end__lte=end).order_by("period_start")
        values = [v.value for v in stored]
        if not values:
            return None
        number = values[-1] if indicator.time_rule == TimeRule.LAST else (
            sum(values, Decimal(0)) / len(values) if indicator.time_rule == TimeRule.AVERAGE
            else sum(values, Decimal(0)))
        return compute.Measured(number)
    if indicator.time_rule in (TimeRule.DISTINCT, TimeRule.SUM):
        return compute.measure(indicator.measure, user, start, end, by)
    inside = [p for p in framework_periods(indicator.framework)
              if p.start >= start and p.end <= end] or [Period("", start, end)]
    if indicator.time_rule == TimeRule.LAST:
        return compute.measure(indicator.measure, user, inside[-1].start, inside[-1].end, by)
    measured = [compute.measure(indicator.measure, user, p.start, p.end) for p in inside]
    mean = sum((m.value for m in measured), Decimal(0)) / len(measured)
    return compute.Measured(mean.quantize(Decimal("0.1")),
                            records_read=sum(m.records_read for m in measured))


def with_breakdowns(indicator: Indicator, user, start: date, end: date):
    """The value over the range with the breakdowns its reference sheet asks for, each as
    (dimension, {category: value}); (None, []) for a manual indicator without values."""
    dims = dimensions_for(indicator.measure)
    measured = value_over(indicator, user, start, end,
                          [key for key in indicator.disaggregations if key in dims])
    if measured is None:
        return None, []
    return measured, [(dims[key], values) for key, values in measured.breakdowns.items()
                      if key in dims]


def by_office(framework: Framework, user, period: Period) -> tuple[list[str], list]:
    """Each indicator of the framework that can be split by office, office by office: the
    offices' names, and rows (indicator, [value per office], total)."""
    table = []
    for indicator in framework.indicators.all():
        if "numerator" in indicator.measure or "office" not in dimensions_for(
                indicator.measure):
            continue
        measured = compute.measure(indicator.measure, user, period.start, period.end,
                                   ["office"])
        table.append((indicator, measured.breakdowns["office"], measured.value))
    names = sorted({name for _indicator, by, _total in table for name in by})
    return names, [(i, [by.get(n, 0) for n in names], total) for i, by, total in table]


@dataclass
class Row:
    indicator: Indicator
    target: Decimal | None
    actual: Decimal | None
    stored: Value | None
    records_read: int = 0

    @property
    def achieved(self) -> Decimal | None:
        if self.target in (None, 0) or self.actual is None:
            return None
        return (self.actual * 100 / self.target).quantize(Decimal(1))


def table(framework: Framework, user, period: Period) -> list[Row]:
    """Every indicator of the framework for a period: its target, its actual and how much of the
    target it reached. The director sees the stored value where there is one."""
    organisation = can(user, "results.manage")
    targets = {t.indicator_id: t.value for t in Target.objects.filter(
        indicator__framework=framework, period_start=period.start, period_end=period.end,
        department="")}
    stored = {v.indicator_id: v for v in Value.objects.filter(
        indicator__framework=framework, period_start=period.start, period_end=period.end)}
    rows = []
    for indicator in framework.indicators.select_related("result", "framework"):
        value = stored.get(indicator.pk) if organisation else None
        if value is not None:
            rows.append(Row(indicator, targets.get(indicator.pk), value.value, value,
                            value.records_read))
            continue
        measured = value_over(indicator, user, period.start, period.end)
        rows.append(Row(indicator, targets.get(indicator.pk),
                        measured.value if measured else None, None,
                        measured.records_read if measured else 0))
    return rows


def over_periods(indicator: Indicator, user) -> list[tuple[Period, Decimal | None,
                                                          Decimal | None]]:
    """(period, target, actual) for each period of the framework up to today."""
    today = timezone.localdate()
    targets = {(t.period_start, t.period_end): t.value for t in indicator.targets.filter(
        department="")}
    out = []
    for period in framework_periods(indicator.framework):
        if period.start > today:
            break
        measured = value_over(indicator, user, period.start, min(period.end, today))
        out.append((period, targets.get((period.start, period.end)),
                    measured.value if measured else None))
    return out
