"""Pages of the prevention team: the dashboard (distinct people trained over a range, what they
learnt, campaigns' reach apart), the activities and their attendance, tests and reach, and the
list of participant records that may be one person. Every write goes to a service."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from amparo.accounts.permissions import can
from amparo.accounts.selectors import offices_where
from amparo.audit.services import event_record
from amparo.core import charts
from amparo.core.decorators import permission_required
from amparo.core.pages import FormsPage, office_choice, paginate, query_with, refused
from amparo.core.sheets import xlsx_response
from amparo.core.views import posted_or_404
from amparo.prevention import choices, forms, matching, selectors, services
from amparo.prevention.models import Activity
from amparo.reference.selectors import department_names, terms_of
from amparo.referrals.selectors import institutions_active


def _activity(request, code: str) -> Activity:
    found = selectors.activities_for(request.user).filter(code=code).first()
    if found is None:
        raise Http404
    return found


@require_safe
@permission_required("prevention.view")
def dashboard(request):
    dates = forms.RangeForm(request.GET or None)
    start, end = dates.range()
    offices, office_id = office_choice(request, "prevention.view")
    office = offices.filter(pk=office_id).first() if office_id else None
    reached = selectors.people_trained(request.user, start, end, office=office)
    activities = selectors.activities_for(request.user, start=start, end=end, office=office)
    learning = selectors.learning(activities.filter(kind__in=choices.LEARNING))
    audience_labels = dict(choices.Audience.choices)
    departments = department_names()
    sexes = {t.code: t.label for t in terms_of("sexo", include_retired=True)}
    by_audience = sorted(reached.by_audience.items(), key=lambda kv: -kv[1])
    by_department = sorted(reached.by_department.items(), key=lambda kv: -kv[1])
    chart_rows = [(audience_labels.get(a, a), n) for a, n in by_audience]
    justice = sum(reached.by_audience.get(a, 0) for a in choices.JUSTICE)
    reach = selectors.campaign_reach(request.user, start, end, office=office)
    if request.GET.get("formato") == "xlsx":
        return _dashboard_xlsx(start, end, reached, learning, reach, audience_labels,
                               departments)
    return render(request, "prevention/dashboard.html", {
        "dates": dates, "start": start, "end": end, "offices": offices, "office_id": office_id,
        "reached": reached, "learning": learning, "justice": justice,
        "by_audience": [(audience_labels.get(a, a), n) for a, n in by_audience],
        "by_department": [(departments.get(d, _("Not recorded")), n) for d, n in by_department],
        "by_sex": [(sexes.get(code, _("Not recorded")), n) for code, n in
                   sorted(reached.by_sex.items(), key=lambda kv: -kv[1])],
        "chart": charts.bars(_("Distinct people trained, by audience"), chart_rows,
                             label=_("Audience"), value=_("People")) if chart_rows else None,
        "map": charts.peru_map(_("Distinct people trained, by department"),
                               reached.by_department, label=_("Department"),
                               value=_("People")) if reached.by_department else None,
        "reach": reach, "export": query_with(request.GET, formato="xlsx"),
        "activity_count": activities.count(), "hours": selectors.hours_given(activities),
    })


def _dashboard_xlsx(start, end, reached, learning, reach, audiences, departments):
    """The dashboard's tables, for a donor's report: the same figures as the page."""
    people, attended = _("People"), _("Attended")
    tables = [
        (_("Summary"), [_("From"), _("To"), _("Distinct people trained"), attended,
                        _("Matched tests"), _("Mean normalised gain")],
         [[start, end, reached.total, reached.attended, learning.matched,
           float(learning.mean_gain) if learning.mean_gain is not None else ""]]),
        (_("By audience"), [_("Audience"), people],
         [[audiences.get(a, a), n] for a, n in sorted(reached.by_audience.items())]),
        (_("By department"), [_("Department"), people],
         [[departments.get(d, d), n] for d, n in sorted(reached.by_department.items())]),
        (_("By audience and department"), [_("Audience"), _("Department"), people],
         [[audiences.get(a, a), departments.get(d, d), n]
          for (a, d), n in sorted(reached.by_audience_department.items())]),
        (_("By sex"), [_("Sex"), people], [[s or "", n] for s, n in sorted(
            reached.by_sex.items())]),
        (_("Campaigns"), [_("Campaign"), _("Estimated audience"), _("Source"),
                          _("How it was estimated")],
         [[r["activity"].title, r["estimated"], r["source"], r["method"]] for r in reach]),
    ]
    return xlsx_response(f"prevencion-{start}-{end}.xlsx", tables)


@require_safe
@permission_required("prevention.view")
def activity_list(request):
    offices, office_id = office_choice(request, "prevention.view")
    kind = request.GET.get("tipo", "")
    kind = kind if kind in choices.Kind.values else ""
    rows = selectors.activities_for(request.user, kind=kind,
                                    office=offices.filter(pk=office_id).first())
    if request.GET.get("formato") == "xlsx":
        return xlsx_response("actividades.xlsx", [(_("Activities"), [
            _("Code"), _("Title"), _("Kind"), _("Starts on"), _("Office"), _("Hours"),
            _("Attended"), _("Status"), _("Project or donor")], [
            [a.code, a.title, a.get_kind_display(), a.starts_on, a.office.name,
             float(a.hours) if a.hours else "", a.people, a.get_status_display(), a.project]
            for a in rows[:20_000]])])
    return render(request, "prevention/activity_list.html", {
        "page": paginate(rows, request.GET.get("page")), "offices": offices,
        "office_id": office_id, "kind": kind, "kinds": choices.Kind.choices,
        "export": query_with(request.GET, formato="xlsx"),
        "can_manage": can(request.user, "prevention.manage")})


@require_safe
@permission_required("prevention.view")
def calendar(request):
    """What is planned for the next three months and what was held in the last one, month by
    month, as a diary reads."""
    today = timezone.localdate()
    start = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    end = (today.replace(day=1) + timedelta(days=120)).replace(day=1) - timedelta(days=1)
    offices, office_id = office_choice(request, "prevention.view")
    rows = selectors.activities_for(request.user, start=start, end=end,
                                    office=offices.filter(pk=office_id).first()
                                    ).order_by("starts_on", "id")
    months: dict = {}
    for activity in rows:
        months.setdefault(activity.starts_on.replace(day=1), []).append(activity)
    return render(request, "prevention/calendar.html", {
        "months": sorted(months.items()), "today": today, "offices": offices,
        "office_id": office_id})


@permission_required("prevention.manage")
def activity_edit(request, code: str | None = None):
    activity = _activity(request, code) if code else None
    offices = offices_where(request.user, "prevention.manage", active=True)
    initial = {}
    if activity is not None:
        initial = {f: getattr(activity, f) for f in services.ACTIVITY_FIELDS}
        initial.update(version=activity.version, partners=list(activity.partners.all()),
                       facilitators=list(activity.facilitators.all()))
    form = forms.ActivityForm(request.POST or None, offices=offices, initial=initial,
                              institutions=institutions_active())
    context = {"form": form, "activity": activity}
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.activity_save(
                actor=request.user, request=request, data=form.activity_data(),
                activity=activity, version=form.cleaned_data.get("version"),
                partners=form.cleaned_data["partners"],
                facilitators=form.cleaned_data["facilitators"])
        except ValidationError as error:
            refused(form, error, context)
        else:
            messages.success(request, _("Activity %(code)s saved.") % {"code": saved.code})
            return redirect("prevention:activity", code=saved.code)
    return render(request, "prevention/activity_form.html", context,
                  status=400 if request.method == "POST" else 200)


ACTIONS = ("attend", "score", "reach", "document")  # the forms of an activity's page


@permission_required("prevention.view")
def activity_detail(request, code: str):
    activity = _activity(request, code)
    page = FormsPage(request, ACTIONS)
    bound = page.data
    rows = selectors.attendance_of(activity)
    people = selectors.participants_in(rows)
    context = {
        "activity": activity, "rows": rows,
        "can_manage": can(request.user, "prevention.manage", activity.office_id),
        "person_form": forms.PersonForm(bound("attend"), prefix="p"),
        "score_form": forms.ScoreForm(bound("score"), participants=people, prefix="s",
                                      questions=activity.test_questions),
        "reach_form": forms.ReachForm(bound("reach"), prefix="r"),
        "document_form": forms.DocumentForm(bound("document"), page.files("document"),
                                            prefix="d"),
        "failed": page.action,
    }
    if page.action:
        form = context["person_form" if page.action == "attend" else f"{page.action}_form"]
        done = page.submit(form, _saves(request, activity, form)[page.action], context)
        if done:
            return page.done(done, reverse("prevention:activity", args=[code]))
    export = request.GET.get("formato") == "xlsx"
    event_record(action="export" if export else "view", request=request, actor=request.user,
                 object_type="activity", object_id=activity.code, section="prevention",
                 office=activity.office, reason=f"{len(rows)} participants shown")
    questions = selectors.questions_learnt(activity)
    if export:  # names and roles, never documents or contacts
        sheets = [(_("Attendance"), [
            _("Person"), _("Profession or role"), _("Institution"), _("Department"),
            _("Hours attended"), _("Pre"), _("Post"), _("Completed")], [
            [r["person"].full_name, r["person"].get_audience_display(), r["person"].institution,
             r["person"].department, float(r["attendance"].hours)
             if r["attendance"].hours is not None else "",
             float(r["scores"]["pre"]) if r["scores"]["pre"] is not None else "",
             float(r["scores"]["post"]) if r["scores"]["post"] is not None else "",
             _("yes") if r["completed"] else _("no")] for r in rows])]
        if questions:
            sheets.append((_("Questions"), [
                _("Question"), _("Right before (%)"), _("Right after (%)"), _("People")], [
                [f"{q.number}. {q.text}", _share(q.pre_share), _share(q.post_share), q.matched]
                for q in questions]))
        return xlsx_response(f"{activity.code}-asistencia.xlsx", sheets)
    context["learning"] = selectors.learning_of(activity)
    context["questions"] = questions
    context["reach"] = activity.reach.order_by("-recorded_at").first()
    context["completed"] = sum(1 for r in rows if r["completed"])
    context["documents"] = list(activity.documents.select_related("data_key"))
    return render(request, "prevention/activity.html", context, status=page.status)


def _share(value) -> float | str:
    return round(float(value), 1) if value is not None else ""


def _saves(request, activity, form) -> dict:
    """What each of the activity page's forms saves (one service call) and says."""
    common = {"actor": request.user, "request": request, "activity": activity}

    def attend(data):
        hours = data.pop("hours")
        services.attendance_record(**common, person=data, hours=hours)
        return _("Attendance recorded.")

    def score(data):
        services.score_record(**common, **form.score_data())
        return _("Score recorded.")

    def document(data):
        services.document_add(**common, kind=data["kind"], title=data["title"],
                              content=data["file"].read())
        return _("Document kept, encrypted.")

    def reach(data):
        services.reach_record(**common, **data)
        return _("Reach recorded.")

    return {"attend": attend, "score": score, "document": document, "reach": reach}


@require_safe
@permission_required("prevention.view")
def activity_document(request, code: str, pk):
    activity = _activity(request, code)
    document = activity.documents.select_related("data_key").filter(pk=pk).first()
    if document is None:
        raise Http404
    content = services.document_open(actor=request.user, request=request, activity=activity,
                                     document=document)
    response = HttpResponse(content, content_type=document.content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="{activity.code}-{str(document.pk)[:8]}.{document.extension}"')
    return response


@permission_required("prevention.manage")
def review(request):
    if request.method == "POST":
        pair = posted_or_404(selectors.pairs_for(request.user), request, "pair")
        try:
            services.pair_decide(actor=request.user, request=request, pair=pair,
                                 same=request.POST.get("decision") == "misma")
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Decision recorded."))
        return redirect("prevention:review")
    pairs = paginate(selectors.pairs_for(request.user), request.GET.get("page"), 20)
    for pair in pairs:
        pair.why = matching.evidence(pair)
    return render(request, "prevention/review.html", {"page": pairs})
