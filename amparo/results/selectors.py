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
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from amparo.accounts.permissions import can
from amparo.results import compute
from amparo.results.choices import Status, TimeRule
from amparo.results.models import Framework, Indicator, Target, Value
from amparo.results.periods import Period, framework_periods
from amparo.results.sources import dimensions_for


def frameworks_for(user) -> QuerySet[Framework]:
    return Framework.objects.all() if can(user, "results.view") else Framework.objects.none()


def value_over(indicator: Indicator, user, start: date, end: date,
               by: list[str] = (), *, codes: bool = False) -> compute.Measured | None:
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
        return compute.measure(indicator.measure, user, start, end, by, codes=codes)
    inside = [p for p in framework_periods(indicator.framework)
              if p.start >= start and p.end <= end] or [Period("", start, end)]
    if indicator.time_rule == TimeRule.LAST:
        return compute.measure(indicator.measure, user, inside[-1].start, inside[-1].end, by,
                               codes=codes)
    measured = [compute.measure(indicator.measure, user, p.start, p.end) for p in inside]
    mean = sum((m.value for m in measured), Decimal(0)) / len(measured)
    return compute.Measured(mean.quantize(Decimal("0.1")),
                            records_read=sum(m.records_read for m in measured))


def _stored(indicator: Indicator, user, start: date, end: date) -> Value | None:
    """The value stored for exactly this period, when the reader sees the organisation's."""
    if not can(user, "results.manage"):
        return None
    return Value.objects.filter(indicator=indicator, period_start=start, period_end=end).first()


def measured_for(indicator: Indicator, user, start: date, end: date,
                 by: list[str] = ()) -> compute.Measured | None:
    """The value and its breakdowns (keyed by the categories' codes) as the reader should
    see them: the stored value for the period where there is one (a locked period says the
    same a year later), the records computed now otherwise."""
    stored = _stored(indicator, user, start, end)
    if stored is None:
        return value_over(indicator, user, start, end, by, codes=True)
    breakdowns = {key: stored.breakdowns[key] for key in by if key in stored.breakdowns}
    missing = [key for key in by if key not in breakdowns]
    if missing and indicator.computed:  # asked for after the value was stored
        breakdowns.update(value_over(indicator, user, start, end, missing,
                                     codes=True).breakdowns)
    return compute.Measured(stored.value, stored.numerator, stored.denominator, breakdowns,
                            stored.records_read)


def with_breakdowns(indicator: Indicator, user, start: date, end: date):
    """The value over the range with the breakdowns its reference sheet asks for, each as
    (dimension, {category label: value}); (None, []) for a manual indicator without values."""
    dims = dimensions_for(indicator.measure)
    measured = measured_for(indicator, user, start, end,
                            [key for key in indicator.disaggregations if key in dims])
    if measured is None:
        return None, []
    return measured, [(dims[key], compute.labelled(dims[key], values))
                      for key, values in measured.breakdowns.items() if key in dims]


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
        dimension="")}
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
        dimension="")}
    out = []
    for period in framework_periods(indicator.framework):
        if period.start > today:
            break
        measured = value_over(indicator, user, period.start, min(period.end, today))
        out.append((period, targets.get((period.start, period.end)),
                    measured.value if measured else None))
    return out


@dataclass
class TargetRow:
    target: Target
    period: Period
    dimension: str  # its label, "" for the total
    category: str  # its label
    actual: Decimal | None

    @property
    def achieved(self) -> Decimal | None:
        if not self.target.value or self.actual is None:
            return None
        return (Decimal(self.actual) * 100 / self.target.value).quantize(Decimal(1))


def targets_of(indicator: Indicator, user, period: Period | None = None) -> list[TargetRow]:
    """Every target of the indicator (or of one period), in total or by category, beside what
    was reached: the stored value's for the director, her office's records for a coordinator.
    A period not begun has no actual."""
    today = timezone.localdate()
    periods = {(p.start, p.end): p for p in framework_periods(indicator.framework)}
    targets = indicator.targets.all()
    if period is not None:
        targets = targets.filter(period_start=period.start, period_end=period.end)
    by_period: dict = {}
    for target in targets:
        by_period.setdefault((target.period_start, target.period_end), []).append(target)
    dims = dimensions_for(indicator.measure)
    labels: dict = {}
    rows = []
    for (start, end), inside in by_period.items():
        shown = periods.get((start, end)) or Period(f"{start}–{end}", start, end)
        measured = measured_for(indicator, user, start, min(end, today), sorted(
            {t.dimension for t in inside if t.dimension in dims})) if start <= today else None
        for target in inside:
            dimension = dims.get(target.dimension)
            if dimension is None:
                actual = measured.value if measured else None
                rows.append(TargetRow(target, shown, "", "", actual))
                continue
            if dimension.key not in labels:
                labels[dimension.key] = dict(compute.categories(dimension))
            actual = measured.breakdowns.get(target.dimension, {}).get(
                target.category, 0) if measured else None
            rows.append(TargetRow(target, shown, str(dimension.label), labels[dimension.key].get(
                target.category, target.category), actual))
    return rows


def target_choices(indicator: Indicator) -> list[tuple[str, list[tuple[str, str]]]]:
    """What a target can be set for, grouped for a select: the total, then each of the
    indicator's breakdowns with its categories ("breakdown:category")."""
    groups = [("", [("", str(_("Total")))])]
    if "numerator" in indicator.measure:
        return groups
    dims = dimensions_for(indicator.measure)
    regions = [key for key, d in dims.items() if d.kind in ("department", "exploitation",
                                                             "office")]
    for key in dict.fromkeys([*indicator.disaggregations, *regions]):
        dimension = dims.get(key)
        if dimension is not None:
            groups.append((str(dimension.label), [
                (f"{key}:{code}", label) for code, label in compute.categories(dimension)]))
    return groups


def indicators(framework: str = "", code: str = "") -> QuerySet[Indicator]:
    """The indicators in the frameworks' order, of one framework or with one code."""
    rows = Indicator.objects.select_related("framework").order_by("framework__code", "order",
                                                                    "code")
    if framework:
        rows = rows.filter(framework__code=framework)
    return rows.filter(code=code) if code else rows


def framework_for(code: str) -> Framework:
    return get_object_or_404(Framework, code=code)


def indicator_for(framework: str, code: str) -> Indicator:
    return get_object_or_404(Indicator.objects.select_related("framework", "result"),
                             framework__code=framework, code=code)


def value_of(indicator: Indicator, period: Period) -> Value:
    """The value stored for the indicator and period (a decision needs one)."""
    return get_object_or_404(Value, indicator=indicator, period_start=period.start,
                             period_end=period.end)


def values_waiting() -> QuerySet[Value]:
    """Values submitted for approval, the oldest period first."""
    return (Value.objects.filter(status=Status.SUBMITTED)
            .select_related("indicator__framework").order_by("period_start", "indicator_id"))
