"""The alert inbox, a case's alerts and risk tabs, the rules and the risk instrument, and the
supervisor's view. Thin: scope and audit come from `case_for` / the selectors, writes from the
services."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from amparo.accounts.permissions import can
from amparo.cases.access import case_allows, case_for, list_viewed
from amparo.cases.pages import case_page
from amparo.cases.services.glass import glass_visible
from amparo.core.decorators import permission_required
from amparo.core.forms import show_refusal
from amparo.core.pages import office_choice, paginate, refused
from amparo.core.views import posted_or_404
from amparo.monitoring import charts, choices, forms, selectors, services, supervision
from amparo.monitoring.conditions import PARAMS, RESOLVED_BY_HAND
from amparo.monitoring.models import AlertRule

INBOX_PAGE = 20  # cards with their forms: a phone scrolls through 20, not 50


def _act(request, alerts) -> tuple[forms.AlertActionForm, int | None, bool]:
    """Apply a posted action to one of `alerts`. Returns the form, the alert it was for, and
    whether it was done."""
    alert = posted_or_404(alerts.select_related("case__office", "case__data_key"), request,
                          "alert")
    form = forms.AlertActionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.alert_act(actor=request.user, request=request, alert=alert,
                               version=data["version"], action=data["action"],
                               comment=data["comment"], until=data["until"])
            return form, alert.pk, True
        except ValidationError as error:
            show_refusal(form, error)
    return form, alert.pk, False


def _rows(alerts, today, user) -> list[dict]:
    rows = []
    for alert in alerts:
        events = list(alert.events.all())
        last = next((e for e in reversed(events) if e.actor_id), None)
        rows.append({
            "alert": alert, "said": selectors.describe(alert, today),
            "last": last, "last_comment": last.unseal("comment") if last else "",
            "can_act": alert.live and case_allows(user, alert.case, "alert.manage"),
            "by_hand": alert.kind in RESOLVED_BY_HAND,
            "days": (today - alert.since).days if alert.since else None,
        })
    return rows


@login_required
@permission_required("alert.view")
def inbox(request):
    user = request.user
    offices, office_id = office_choice(request, "alert.view")
    status = request.GET.get("estado", "pendientes")
    status = status if status in selectors.STATUS_FILTERS else "pendientes"
    kind = request.GET.get("tipo", "")
    kind = kind if kind in choices.Kind.values else ""
    try:
        severity = int(request.GET.get("gravedad") or 0) or None
    except ValueError:
        severity = None
    severity = severity if severity in choices.Severity.values else None
    alerts = selectors.inbox(user, status=status, kind=kind, office_id=office_id,
                             severity=severity)
    failed = None
    form = None
    if request.method == "POST":
        form, failed, done = _act(request, selectors.api_alerts(user))
        if done:
            messages.success(request, _("Alert updated."))
            return redirect(request.get_full_path())
    page = paginate(alerts, request.GET.get("page"), INBOX_PAGE)
    list_viewed(user, sorted({a.case.code for a in page}), request=request, section="alerts")
    query = {k: v for k, v in {"estado": status, "tipo": kind, "gravedad": severity or "",
                               "oficina": office_id or ""}.items() if v}
    return render(request, "monitoring/inbox.html", {
        "page": page, "rows": _rows(page, timezone.localdate(), user), "status": status,
        "kind": kind, "severity": severity, "offices": offices, "office_id": office_id,
        "kinds": choices.Kind.choices, "severities": choices.Severity.choices,
        "statuses": [("pendientes", _("Pending")), ("abiertas", _("Open only")),
                     ("pospuestas", _("Snoozed")), ("resueltas", _("Resolved"))],
        "query": urlencode(query), "form": form, "failed": failed,
        "last_run": selectors.last_run(),
        "perms_supervision": can(user, "supervision.view"),
    }, status=400 if failed else 200)


@login_required
def case_alerts(request, code: str):
    case = case_for(request.user, code, "alerts", request=request)
    form, failed = None, None
    if request.method == "POST":
        case_for(request.user, code, "alerts", purpose="edit", request=request)
        form, failed, done = _act(request, selectors.alerts_of(case))
        if done:
            messages.success(request, _("Alert updated."))
            return redirect("monitoring:case", code=code)
    alerts = list(selectors.case_alerts(case))
    for alert in alerts:
        alert.case = case
    rows = _rows(alerts, timezone.localdate(), request.user)
    return case_page(request, case, "alerts", "monitoring/case_alerts.html", {
        "live_rows": [r for r in rows if r["alert"].live],
        "past_rows": [r for r in rows if not r["alert"].live],
        "form": form, "failed": failed,
    }, status=400 if failed else 200)


@login_required
def case_risk(request, code: str):
    case = case_for(request.user, code, "risk", request=request)
    instrument = services.current_instrument()
    form = forms.RiskForm(request.POST if request.method == "POST" else None,
                          instrument=instrument)
    context = {"instrument": instrument}
    if request.method == "POST":
        case_for(request.user, code, "risk", purpose="edit", request=request)
        if form.is_valid():
            data = form.cleaned_data
            try:
                done = services.risk_assess(actor=request.user, request=request, case=case,
                                            assessed_on=data["assessed_on"],
                                            answers=data["answers"], notes=data["notes"])
                messages.success(request, _("Risk assessed: %(level)s (score %(score)s).") % {
                    "level": done.get_level_display(), "score": done.score})
                return redirect("monitoring:risk", code=code)
            except ValidationError as error:
                refused(form, error, context)
    history = selectors.risk_history(case)
    context.update(form=form, history=history,
                   chart=charts.risk_trend(history) if len(history) > 1 else None)
    return case_page(request, case, "risk", "monitoring/case_risk.html", context,
                 status=400 if form.errors else 200)


@login_required
def rules(request):
    manage = can(request.user, "monitoring.configure")
    if not (manage or can(request.user, "alert.view")):
        raise PermissionDenied
    rule_list = selectors.rules()
    edited, form = None, None
    if request.method == "POST":
        if not manage:
            raise PermissionDenied
        rule = posted_or_404(AlertRule, request, "rule")
        form = forms.RuleForm(request.POST, rule=rule)
        edited = rule.pk
        if form.is_valid():
            try:
                services.rule_update(actor=request.user, request=request, rule=rule,
                                     version=form.cleaned_data["version"], data=form.cleaned_data)
                messages.success(request, _("Rule saved. The next refresh uses it."))
                return redirect("monitoring:rules")
            except ValidationError as error:
                show_refusal(form, error)
    rows = [{"rule": r, "params": PARAMS[choices.Kind(r.kind)],
             "notify": [choices.Slot(s).label for s in r.notify if s in choices.Slot.values],
             "form": (form if r.pk == edited else forms.RuleForm(rule=r)) if manage else None}
            for r in rule_list]
    return render(request, "monitoring/rules.html", {"rows": rows, "manage": manage,
                                                     "edited": edited},
                  status=400 if edited else 200)


@login_required
def instrument(request):
    if not (can(request.user, "monitoring.configure") or can(request.user, "risk.assess")):
        raise PermissionDenied
    manage = can(request.user, "monitoring.configure")
    current = services.current_instrument()
    form = None
    if manage:
        form = forms.InstrumentForm(request.POST if request.method == "POST" else None,
                                    instrument=current)
    elif request.method == "POST":
        raise PermissionDenied
    if request.method == "POST" and form.is_valid():
        items = form.items()
        if not form.errors:
            try:
                published = services.instrument_publish(
                    actor=request.user, request=request, items=items,
                    medium_from=form.cleaned_data["medium_from"],
                    high_from=form.cleaned_data["high_from"], note=form.cleaned_data["note"])
                messages.success(request, _("Version %(v)s published.") % {"v": published.version})
                return redirect("monitoring:instrument")
            except ValidationError as error:
                show_refusal(form, error)
    versions = selectors.instrument_versions()
    return render(request, "monitoring/instrument.html", {
        "current": current, "form": form, "versions": versions, "manage": manage,
    }, status=400 if form is not None and form.errors else 200)


@require_safe
@login_required
@permission_required("supervision.view")
def supervisor(request):
    offices, office_id = office_choice(request, "supervision.view")
    if office_id is None:
        first = offices.order_by("name").first()
        if first is None:
            raise Http404
        office_id = first.pk
    board = supervision.board(request.user, office_id, today=timezone.localdate())
    list_viewed(request.user, board["without_contact_codes"], request=request,
                section="supervision")
    glass = glass_visible(request.user).filter(case__office_id=office_id,
                                               reviewed_at__isnull=True).count()
    return render(request, "monitoring/supervision.html", {
        "offices": offices, "office_id": office_id, "board": board, "glass_to_review": glass,
        "charts": supervision.charts_for(board)})
