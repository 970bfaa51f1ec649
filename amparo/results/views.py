"""The results pages: the frameworks, a framework's targets against actuals for a period (with
the director's approval steps), and an indicator's sheet with its breakdowns and its periods.
Published tables (downloads of a donor's framework) hide small cells; the pages do not."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from amparo.accounts.permissions import can
from amparo.audit.services import section_event
from amparo.core import charts
from amparo.core.decorators import permission_required
from amparo.core.forms import errors_said
from amparo.core.pages import act_and_tell
from amparo.core.sheets import xlsx_response
from amparo.results import forms, report, selectors, services
from amparo.results.choices import Status
from amparo.results.compute import measure_said
from amparo.results.models import Indicator
from amparo.results.periods import framework_periods


@permission_required("results.view")
def index(request):
    section_event(request, "results", "indicator", "", "frameworks")
    return render(request, "results/index.html", {
        "frameworks": selectors.frameworks_for(request.user)})


def _period(framework, request):
    periods = framework_periods(framework)
    chosen = request.GET.get("periodo")
    for period in periods:
        if period.key == chosen:
            return period, periods
    today = timezone.localdate()
    current = [p for p in periods if p.start <= today]
    return (current[-1] if current else periods[0]), periods


@permission_required("results.view")
def framework(request, framework: str):
    record = selectors.framework_for(framework)
    period, periods = _period(record, request)
    manage = can(request.user, "results.manage")
    if request.method == "POST":
        if not manage:
            raise Http404
        _act(request, record, period)
        return redirect(f"{request.path}?periodo={period.key}")
    rows = selectors.table(record, request.user, period)
    if request.GET.get("formato") == "xlsx":
        section_event(request, "results", "indicator",
                      record.code, f"framework {period.label}", action="export")
        return xlsx_response(f"{record.code}-{period.label}.xlsx", [(record.name[:31], [
            _("Code"), _("Indicator"), _("Unit"), _("Target"), _("Actual"), _("% achieved"),
            _("Status")], [
            [r.indicator.code, r.indicator.name, r.indicator.get_unit_display(),
             *report.sheet_numbers(r, not record.internal),
             r.stored.get_status_display() if r.stored else ""] for r in rows])])
    section_event(request, "results", "indicator", record.code, f"framework {period.label}")
    return render(request, "results/framework.html", {
        "framework": record, "period": period, "periods": periods, "rows": rows,
        "can_manage": manage, "statuses": Status})


def _act(request, record, period) -> None:
    """One row's action for the period shown; what was done, or what is wrong, as a message
    above the table."""
    form = forms.RowForm(request.POST, framework=record)
    if not form.is_valid():
        messages.error(request, errors_said(form))
        return
    data = form.cleaned_data
    indicator, action = data["indicator"], data["action"]
    common = {"actor": request.user, "request": request}
    if action == "compute":
        act = lambda: services.value_compute(**common, indicator=indicator,  # noqa: E731
                                             period=period)
        done = _("Computed from the records.")
    elif action == "enter":
        act = lambda: services.value_enter(**common, indicator=indicator,  # noqa: E731
                                           period=period, value=data["value"],
                                           evidence=data["evidence"])
        done = _("Value recorded.")
    else:
        value = selectors.value_of(indicator, period)
        act = lambda: services.value_decide(**common, value=value,  # noqa: E731
                                            decision=action)
        done = _("Decision recorded.")
    act_and_tell(request, act, done)


@permission_required("results.view")
def framework_report(request, framework: str, fmt: str):
    """The framework's report for the chosen period (PDF or XLSX): published for a donor."""
    record = selectors.framework_for(framework)
    if fmt not in ("pdf", "xlsx"):
        raise Http404
    period, _periods = _period(record, request)
    built = report.build(record, period, request.user)
    section_event(request, "results", "indicator",
                  record.code, f"report {fmt} {period.label}", action="export")
    if fmt == "xlsx":
        return report.xlsx(built)
    response = HttpResponse(report.pdf(built), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="{record.code}-{period.label}.pdf"')
    return response


@permission_required("results.view")
def offices(request):
    """Each indicator of a framework that can be split by office, office by office, for the
    period: the director's view across offices (a coordinator sees her own)."""
    frameworks = list(selectors.frameworks_for(request.user))
    chosen = next((f for f in frameworks if f.code == request.GET.get("marco")),
                  frameworks[0] if frameworks else None)
    names, rows, period, periods = [], [], None, []
    if chosen is not None:
        period, periods = _period(chosen, request)
        names, rows = selectors.by_office(chosen, request.user, period)
    section_event(request, "results", "indicator", getattr(chosen, "code", ""), "offices")
    return render(request, "results/offices.html", {
        "frameworks": frameworks, "framework": chosen, "period": period, "periods": periods,
        "rows": rows, "names": names})


@permission_required("results.view")
def indicator(request, framework: str, code: str):
    record = selectors.indicator_for(framework, code)
    period, periods = _period(record.framework, request)
    manage = can(request.user, "results.manage")
    if request.method == "POST":
        if not manage:
            raise Http404
        return _target(request, record, periods)
    measured, split = selectors.with_breakdowns(record, request.user, period.start,
                                                period.end)
    series = selectors.over_periods(record, request.user)
    chart = charts.bars(_("%(code)s by period") % {"code": record.code}, [
        (p.label, float(actual or 0)) for p, _target, actual in series],
        label=_("Period"), value=record.get_unit_display()) if series else None
    breakdowns = [(dimension.label, values) for dimension, values in split]
    section_event(request, "results", "indicator", record.code, f"indicator {period.label}")
    return render(request, "results/indicator.html", {
        "indicator": record, "period": period, "periods": periods, "measured": measured,
        "series": series, "chart": chart, "breakdowns": breakdowns, "organisation": manage,
        "measure_said": measure_said(record.measure) if record.computed else "",
        "targets": selectors.targets_of(record, request.user),
        "target_choices": selectors.target_choices(record) if manage else []})


def _target(request, record: Indicator, periods):
    """Set (or, with an empty value, remove) a target: the period and "breakdown:category"."""
    form = forms.TargetForm(request.POST, periods=periods)
    back = periods[0]
    if not form.is_valid():
        messages.error(request, errors_said(form))
    else:
        target = form.target()
        back = target["period"]
        act_and_tell(request, lambda: services.target_save(
            actor=request.user, request=request, indicator=record, **target), _("Target saved."))
    return redirect(f"{request.path}?periodo={back.key}#metas")
