"""Pages of the criminal case: the case's legal tab and one page per proceeding, the office's
proceedings by stage, the calendar of hearings and deadlines with its iCal feed, and the
deadline rules. Every case comes from `case_for`; every write goes to a service."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from amparo.accounts.permissions import can
from amparo.audit.services import event_record
from amparo.cases.access import case_allows, case_for, defendants_shown, list_viewed
from amparo.cases.pages import case_page
from amparo.core.decorators import permission_required
from amparo.core.forms import show_refusal
from amparo.core.pages import FormsPage, office_choice, paginate
from amparo.core.views import posted_or_404
from amparo.legal import choices, forms, ical, selectors, services
from amparo.legal.models import (
    Deadline,
    DeadlineRule,
    Hearing,
    Measure,
    Proceeding,
    Step,
)

# ---- the case's legal tab ----------------------------------------------------------------------

@login_required
def case_legal(request, code: str):
    case = case_for(request.user, code, "legal", request=request)
    editable = case_allows(request.user, case, "proceeding.edit") and not case.is_closed
    form = forms.ProceedingForm(
        request.POST if request.POST.get("action") == "proceeding" else None, case=case,
        creating=True, prefix="proceeding")
    measure_form = forms.MeasureForm(
        request.POST if request.POST.get("action") == "measure" else None, case=case,
        prefix="measure")
    context = {"form": form, "measure_form": measure_form, "can_edit": editable}
    if request.method == "POST":
        case_for(request.user, code, "legal", purpose="edit", request=request)
        action = request.POST.get("action")
        if action not in ("proceeding", "measure", "measure_update"):
            raise Http404
        if action == "measure_update":
            return _measure_update(request, case)
        target = form if action == "proceeding" else measure_form
        if target.is_valid():
            try:
                if action == "proceeding":
                    record = services.proceeding_save(
                        actor=request.user, request=request, case=case,
                        data=form.proceeding_data(), stage=form.cleaned_data["stage"],
                        stage_since=form.cleaned_data["stage_since"])
                    messages.success(request, _("Proceeding registered."))
                    return redirect("legal:proceeding", code=code, pk=record.pk)
                services.measure_save(actor=request.user, request=request, case=case,
                                      data=measure_form.measure_data(),
                                      note=measure_form.cleaned_data["note"])
                messages.success(request, _("Measure recorded."))
                return redirect("legal:case", code=code)
            except ValidationError as error:
                show_refusal(target, error)
    table = selectors.offences()
    context["proceedings"] = [(p, selectors.charges_shown(p, table))
                              for p in selectors.proceeding_list(case)]
    context["measures"] = [(m, m.unseal("note")) for m in selectors.measure_list(case)]
    context["measure_statuses"] = choices.MeasureStatus.choices
    return case_page(request, case, "legal", "legal/case_legal.html", context)


def _measure_update(request, case):
    """A measure's status and dates change (requested → granted → lifted); its note stays."""
    measure = posted_or_404(Measure, request, "measure", case=case)
    measure.data_key = case.data_key
    form = forms.MeasureStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Check the status and the dates of the measure."))
        return redirect("legal:case", code=case.code)
    try:
        services.measure_save(actor=request.user, request=request, case=case,
                              data=form.cleaned_data, note=measure.unseal("note"),
                              measure=measure, version=form.cleaned_data["version"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Measure updated."))
    return redirect("legal:case", code=case.code)


@login_required
def proceeding(request, code: str, pk):
    case = case_for(request.user, code, "legal", request=request)
    record = selectors.proceeding_for(case, pk)
    user = request.user
    show_defendants = defendants_shown(user, case, request=request)
    if request.method == "POST":
        case_for(user, code, "legal", purpose="edit", request=request)
    page = FormsPage(request, ACTIONS)
    bound = page.data
    defendants = selectors.defendants_of(record)
    context = {
        "proceeding": record,
        "edit_form": forms.ProceedingForm(bound("edit"), case=case, initial=_initial(record),
                                          prefix="edit"),
        "stage_form": forms.StageForm(bound("stage"), proceeding=record, prefix="stage",
                                      initial={"version": record.version}),
        "decision_form": forms.DecisionForm(bound("decision"), proceeding=record, case=case,
                                            prefix="decision",
                                            initial={"version": record.version}),
        "sentence_form": forms.SentenceForm(bound("sentence"), proceeding=record,
                                            defendants=defendants, prefix="sentence"),
        "payment_form": forms.PaymentForm(bound("payment"), prefix="payment"),
        "hearing_form": forms.HearingForm(bound("hearing"), case=case, prefix="hearing"),
        "defendant_form": (forms.DefendantForm(bound("defendant"), prefix="defendant")
                           if show_defendants else None),
        "show_defendants": show_defendants,
        "can_edit": case_allows(user, case, "proceeding.edit") and not case.is_closed,
        "failed": page.action,
    }
    if page.action:
        form, save = ACTIONS[page.action](request, case, record, context)
        if form is None:
            raise PermissionDenied
        common = {"actor": request.user, "request": request, "case": case}
        done = page.submit(form, lambda data: save(data, common), context)
        if done:
            return page.done(done, reverse("legal:proceeding", args=[code, record.pk]))
    record.refresh_from_db()
    context["file"] = selectors.proceeding_file(case, record, with_defendants=show_defendants)
    context["charges"] = selectors.charges_shown(record, selectors.offences())
    context["today"] = timezone.localdate()
    context["hearing_statuses"] = choices.HearingStatus.choices
    return case_page(request, case, "legal", "legal/proceeding.html", context,
                     status=page.status)


def _initial(record: Proceeding) -> dict:
    initial = {k: getattr(record, k) for k in services.PROCEEDING_FIELDS}
    initial["version"] = record.version
    return initial


# Each action: the bound form, and what saving it does (one service call, then the message).

def _edit(request, case, record, context):
    form = context["edit_form"]

    def save(data, common):
        services.proceeding_save(**common, data=form.proceeding_data(), proceeding=record,
                                 version=data["version"])
        return _("Proceeding saved.")
    return form, save


def _step(kind):
    def action(request, case, record, context):
        def save(data, common):
            services.step_record(**common, proceeding=record, kind=kind, code=data["code"],
                                 taken_on=data["taken_on"], issuer=data.get("issuer"),
                                 note=data["note"], version=data["version"])
            return _("Recorded in the proceeding's timeline.")
        return context["stage_form" if kind == Step.Kind.STAGE else "decision_form"], save
    return action


def _sentence(request, case, record, context):
    def save(data, common):
        services.sentence_record(**common, step=data["step"], defendant=data["defendant"],
                                 penalty=data["penalty"], prison_years=data["prison_years"],
                                 fine_days=data["fine_days"],
                                 disqualification=data["disqualification"],
                                 reparation=data["reparation"], final_on=data["final_on"])
        return _("Sentence recorded.")
    return context["sentence_form"], save


def _payment(request, case, record, context):
    def save(data, common):
        services.payment_record(**common, proceeding=record, paid_on=data["paid_on"],
                                amount=data["amount"], receipt=data["receipt"])
        return _("Payment recorded.")
    return context["payment_form"], save


def _hearing(request, case, record, context):
    def save(data, common):
        services.hearing_save(**common, proceeding=record, data={
            k: data[k] for k in ("kind", "starts_at", "court", "room", "survivor_must_attend")},
            attendees=list(data["attendees"]), note=data["note"])
        return _("Hearing scheduled.")
    return context["hearing_form"], save


def _hearing_outcome(request, case, record, context):
    hearing = posted_or_404(Hearing, request, "hearing", proceeding=record)
    form = forms.HearingOutcomeForm(request.POST)
    context["outcome_form"], context["outcome_for"] = form, hearing.pk

    def save(data, common):
        services.hearing_outcome(**common, proceeding=record, hearing=hearing,
                                 version=data["version"], status=data["status"],
                                 survivor_attended=data["survivor_attended"],
                                 starts_at=data["starts_at"])
        return _("Hearing updated.")
    return form, save


def _defendant(request, case, record, context):
    def save(data, common):
        services.defendant_save(**common, proceeding=record, role=data["role"],
                                situation=data["situation"], details=data)
        return _("Defendant recorded.")
    return context["defendant_form"], save  # None when the role may not see defendants


def _deadline(request, case, record, context):
    deadline = posted_or_404(Deadline, request, "deadline", proceeding=record)
    form = forms.DeadlineForm(request.POST)
    context["deadline_form"], context["deadline_for"] = form, deadline.pk

    def save(data, common):
        services.deadline_close(**common, deadline=deadline, version=data["version"],
                                status=data["status"], done_on=data["done_on"])
        return _("Deadline updated.")
    return form, save


ACTIONS = {
    "edit": _edit, "stage": _step(Step.Kind.STAGE), "decision": _step(Step.Kind.DECISION),
    "sentence": _sentence, "payment": _payment, "hearing": _hearing,
    "hearing_outcome": _hearing_outcome, "defendant": _defendant, "deadline": _deadline,
}


# ---- the office's proceedings ------------------------------------------------------------------

MAX_STALLED_DAYS = 36_500  # a hundred years: beyond that the date cannot be computed


@require_safe
@permission_required("proceeding.view")
def office_proceedings(request):
    offices, office_id = office_choice(request, "proceeding.view")
    stage = request.GET.get("etapa", "")
    if stage and stage not in choices.Stage.values:
        stage = ""
    try:
        stalled = int(request.GET.get("sin_movimiento") or 0) or None
    except ValueError:
        stalled = None
    if stalled is not None and not 1 <= stalled <= MAX_STALLED_DAYS:
        messages.warning(request, _("“Without movement” counts from 1 to %(max)s days; the "
                                    "filter was left out.") % {"max": MAX_STALLED_DAYS})
        stalled = None
    rows = selectors.office_proceedings(request.user, stage=stage, office_id=office_id,
                                        stalled_days=stalled)
    page = paginate(rows, request.GET.get("page"))
    list_viewed(request.user, [p.case.code for p in page], request=request, section="legal")
    return render(request, "legal/office.html", {
        "page": page, "counts": selectors.stage_counts(request.user, office_id=office_id),
        "stage": stage, "stalled": stalled, "offices": offices, "office_id": office_id,
        "today": timezone.localdate()})


@require_safe
@permission_required("proceeding.view")
def calendar(request):
    offices, office_id = office_choice(request, "proceeding.view")
    today = timezone.localdate()
    mine = request.GET.get("mios") == "1"
    items = selectors.calendar(request.user, start=today - timedelta(days=7),
                               end=today + timedelta(weeks=8), office_id=office_id, mine=mine)
    list_viewed(request.user, sorted({i.case_code for i in items}), request=request,
                section="calendar")
    return render(request, "legal/calendar.html", {
        "items": items, "today": today, "offices": offices, "office_id": office_id,
        "mine": mine, "feed": selectors.feed_active(request.user),
        "new_feed_url": request.session.pop("calendar_feed_url", None)})


@require_POST
@permission_required("proceeding.view")
def calendar_feed(request):
    if request.POST.get("action") == "revoke":
        services.calendar_feed_revoke(actor=request.user, request=request)
        messages.success(request, _("The calendar address no longer works."))
    else:
        token = services.calendar_feed_create(actor=request.user, request=request)
        request.session["calendar_feed_url"] = request.build_absolute_uri(
            reverse("legal:ical", args=[token]))
        messages.success(request, _("New calendar address created; the old one stopped working."))
    return redirect("legal:calendar")


@require_safe
def ical_feed(request, token: str):
    """The user's hearings and deadlines as iCalendar. The secret address is the credential;
    the feed names case codes, hearing types and courts, never a survivor."""
    user = selectors.feed_owner(token)
    if user is None or not can(user, "proceeding.view"):
        raise Http404
    today = timezone.localdate()
    items = selectors.calendar(user, start=today - timedelta(days=30),
                               end=today + timedelta(days=180), mine=True)
    event_record(action="view", request=request, actor=user, object_type="case",
                 object_ids=sorted({i.case_code for i in items}), section="calendar_feed")
    body = ical.render(items, base_url=request.build_absolute_uri("/").rstrip("/"))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "no-store"
    return response


@permission_required("proceeding.view")
def deadline_rules(request):
    rules = selectors.deadline_rules()
    manage = can(request.user, "reference.manage")
    if request.method == "POST":
        if not manage:
            raise PermissionDenied
        rule = posted_or_404(DeadlineRule, request, "rule")
        form = forms.DeadlineRuleForm(request.POST)
        if form.is_valid():
            try:
                services.deadline_rule_update(actor=request.user, request=request, rule=rule,
                                              **form.cleaned_data)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request,
                                 _("Rule saved. Deadlines already opened keep their date."))
        else:
            messages.error(request, _("Write a number of days from 1 to 365."))
        return redirect("legal:rules")
    return render(request, "legal/rules.html", {"rules": rules, "manage": manage})
