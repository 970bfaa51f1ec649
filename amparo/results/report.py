"""A framework's report for a period: targets against actuals, each indicator's breakdowns, a
chart of the actuals against their targets, targets by category, and three maps of Peru by
department (survivors by department of origin and of exploitation, where a survivor exploited
in two departments counts in each; people trained by department), as PDF (WeasyPrint, the
on-screen SVG charts) and XLSX (one sheet per table, every cell guarded against formulas).

A donor's report is published: counts of people from 1 to 9 show as "<10" (with the
complementary cell hidden too); an internal report shows every number."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from amparo.core import charts, reports
from amparo.core.numbers import soles
from amparo.core.reports import Table
from amparo.core.sheets import xlsx_response
from amparo.results import cells, compute, selectors
from amparo.results.choices import Status, Unit
from amparo.results.models import Framework
from amparo.results.periods import Period

PEOPLE_UNITS = {"personas", "casos"}


@dataclass
class Report:
    framework: Framework
    period: Period
    made_on: date
    published: bool
    tables: list[Table] = field(default_factory=list)
    charts: list[charts.Chart] = field(default_factory=list)


def _shown(value, unit: str, published: bool):
    if value is None:
        return "—"
    if published and unit in PEOPLE_UNITS:
        value = cells.published_total(int(value))
        if value == cells.SMALL:
            return value
    if unit == Unit.CURRENCY:
        return soles(value)
    return formats.number_format(value, 0 if unit in PEOPLE_UNITS else 2, use_l10n=True,
                                 force_grouping=True)


def _figure(stored) -> str:
    """Whether a figure is approved (approved or locked) or still a draft, as the report says
    beside it: a donor reads which numbers the director stands behind."""
    if stored is not None and stored.status in (Status.APPROVED, Status.LOCKED):
        return str(_("approved"))
    return str(_("draft, not approved"))


def _achieved(actual, achieved, unit: str, published: bool) -> str:
    """The share of the target reached; hidden with a hidden count (target × share = count)."""
    if achieved is None or _shown(actual, unit, published) == cells.SMALL:
        return "—"
    return f"{achieved} %"


def sheet_numbers(row: selectors.Row, published: bool) -> tuple:
    """A row's target, actual and share of the target as numbers for a sheet; in a published
    table a small count shows as "<10" and its share as empty."""
    target = float(row.target) if row.target is not None else ""
    if row.actual is None:
        return target, "", ""
    if published and row.indicator.unit in PEOPLE_UNITS and cells.small(row.actual):
        return target, cells.SMALL, ""
    return target, float(row.actual), float(row.achieved) if row.achieved is not None else ""


def build(framework: Framework, period: Period, user) -> Report:
    published = not framework.internal
    result = Report(framework, period, timezone.localdate(), published)
    rows = selectors.table(framework, user, period)
    result.tables.append(Table(_("Targets and actuals, %(p)s") % {"p": period.label}, [
        _("Code"), _("Indicator"), _("Unit"), _("Target"), _("Actual"), _("% achieved"),
        _("Figure")], [
        [r.indicator.code, r.indicator.name, r.indicator.get_unit_display(),
         _shown(r.target, r.indicator.unit, False), _shown(r.actual, r.indicator.unit, published),
         _achieved(r.actual, r.achieved, r.indicator.unit, published), _figure(r.stored)]
        for r in rows]))
    for row in rows:
        indicator = row.indicator
        if not indicator.computed or not indicator.disaggregations:
            continue
        measured, split = selectors.with_breakdowns(indicator, user, period.start, period.end)
        for dimension, breakdown in split:
            shown = cells.published(breakdown) if published and (
                indicator.unit in PEOPLE_UNITS) else breakdown
            result.tables.append(Table(f"{indicator.code} · {dimension.label}", [
                str(dimension.label), indicator.get_unit_display()],
                [[category, value] for category, value in shown.items()]
                + [[_("Total"), _shown(measured.value, indicator.unit, published)]]))
    people = [r for r in rows if r.indicator.unit in PEOPLE_UNITS and r.actual is not None]
    if people:
        result.charts.append(charts.stacked(
            _("Actual and target, %(p)s") % {"p": period.label},
            [(r.indicator.code, str(_("Actual")), float(r.actual)) for r in people]
            + [(r.indicator.code, str(_("Target still to reach")),
                float(max(0, (r.target or 0) - r.actual))) for r in people],
            label=_("Indicator"), part=_("Part"), value=_("People")))
    by_category = [t for row in rows for t in selectors.targets_of(row.indicator, user, period)
                   if t.dimension]
    if by_category:
        result.tables.append(Table(_("Targets by category, %(p)s") % {"p": period.label}, [
            _("Code"), _("Indicator"), _("For"), _("Target"), _("Actual"), _("% achieved")], [
            [t.target.indicator.code, t.target.indicator.name, f"{t.dimension}: {t.category}",
             _shown(t.target.value, t.target.indicator.unit, False),
             _shown(t.actual, t.target.indicator.unit, published),
             _achieved(t.actual, t.achieved, t.target.indicator.unit, published)]
            for t in by_category]))
    services = {"source": "services", "count": "people"}
    for title, spec, key in (
            (_("Survivors served, by department of origin"), services, "origin"),
            (_("Survivors served, by department where they were exploited"), services,
             "exploitation"),
            (_("People trained, by department"), {"source": "trained", "count": "people"},
             "department")):
        measured = compute.measure(spec, user, period.start, period.end, [key], codes=True,
                                   spread=True)
        values = {code: int(n) for code, n in measured.breakdowns[key].items()
                  if code.isdigit() and n}
        if published:  # a small count on a map points at a few people: left out
            values = {code: n for code, n in values.items() if not cells.small(n)}
        if values:
            result.charts.append(charts.peru_map(title, values, label=_("Department"),
                                                 value=_("People")))
    return result


def pdf(report: Report) -> bytes:
    return reports.pdf("results/report.html", {"report": report})


def _sheet(number: int, title: str) -> str:
    """A sheet name Excel accepts: numbered (so two never clash), no []:*?/\\, 31 characters."""
    return re.sub(r"[\[\]:*?/\\]", "-", f"{number} {title}")[:31]


def xlsx(report: Report):
    tables = [(t.title, t.columns, t.rows) for t in report.tables] + [
        (c.title, c.columns, c.rows) for c in report.charts]
    return xlsx_response(f"{report.framework.code}-{report.period.label}.xlsx", [
        (_sheet(i, title), columns, rows) for i, (title, columns, rows) in enumerate(tables, 1)])
