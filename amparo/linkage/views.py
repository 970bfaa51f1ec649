"""The review queue: probable matches between missing-person reports and registered persons,
and possible duplicate persons, each with its evidence; the decision page; the reports page
(upload this month's alerts). Matching runs in the background worker; the queue polls it."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from amparo.cases.access import list_viewed
from amparo.cases.selectors import labels
from amparo.core.decorators import permission_required
from amparo.core.pages import paginate
from amparo.linkage import forms, selectors, services
from amparo.linkage.evidence import VOCABULARIES, rows_for, waterfall
from amparo.linkage.models import Candidate, ReportStatus


@permission_required("linkage.review")
def queue(request):
    services.runs_recover()  # a run whose worker was killed fails, so another can start
    run = selectors.latest_run()
    if request.method == "POST":
        try:
            services.match_queue(actor=request.user)
        except services.RunUnderWay as under_way:
            messages.info(request, under_way.messages[0])
        else:
            messages.success(request, _("Matching started. This page shows its progress."))
        return redirect("linkage:queue")
    if request.htmx and request.GET.get("polling"):
        if run is not None and run.finished:
            return HttpResponse(headers={"HX-Refresh": "true"})
        return render(request, "linkage/_run.html", {"run": run})
    status = request.GET.get("status", "open")
    if status not in ("open", *Candidate.Status.values):
        status = "open"
    kind = request.GET.get("kind", "")
    if kind not in Candidate.Kind.values:
        kind = ""
    order = request.GET.get("order", "probable")
    if order not in selectors.ORDERS:
        order = "probable"
    listed = selectors.queue_for(request.user, status=status, kind=kind, order=order)
    page = paginate(listed, request.GET.get("page"))
    candidates = list(page.object_list)
    points = selectors.operating_points(run)
    found = selectors.people(request.user, candidates)
    codes = sorted({c.code for info in found.values() for c in info["cases"]})
    if codes:
        list_viewed(request.user, codes, request=request, section="linkage")
    return render(request, "linkage/queue.html", {
        "page": page, "run": run, "status": status, "kind": kind, "order": order,
        "rows": [(c, found.get(c.person_id), found.get(c.other_id),
                  c.probability >= points[c.kind]["threshold"]) for c in candidates],
        "points": points,
        "marked": (selectors.probable_expected(listed, points) if status == "open"
                   else {"pairs": 0}),
        "precision": next((p["precision"] for p in points.values() if p["precision"]), None),
        "statuses": [("open", _("To review"))] + [
            (s, label) for s, label in Candidate.Status.choices if s != "open"],
        "kinds": Candidate.Kind.choices,
    })


@permission_required("linkage.review")
def candidate(request, pk):
    record = selectors.candidate_for(request.user, pk, request=request)
    form = forms.DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.candidate_decide(actor=request.user, request=request, candidate=record,
                                      **form.cleaned_data)
        except ValidationError as error:
            for name, errors in error.message_dict.items():
                form.add_error(name if name in form.fields else None, errors)
        else:
            messages.success(request, _("Decision recorded."))
            return redirect("linkage:queue")
    found = selectors.people(request.user, [record])
    left = found.get(record.person_id)
    right = found.get(record.other_id) if record.other_id else None
    return render(request, "linkage/candidate.html", {
        "candidate": record, "form": form, "left": left, "right": right,
        "rows": rows_for(record, left, right, labels(*VOCABULARIES)),
        "case_columns": ([], _cases(left)) if record.report_id else (_cases(left), _cases(right)),
        "waterfall": waterfall(record.evidence),
        "decisions": list(record.decisions.select_related("decided_by", "data_key")),
    })


def _cases(info) -> list:
    return info["cases"] if info else []


@permission_required("linkage.review")
def reports(request):
    if request.method == "POST" and request.POST.get("action") == "status":
        report = selectors.reports_for(request.user).filter(
            public_id=forms.uuid_or_none(request.POST.get("report"))).first()
        if report is None or (report.status == ReportStatus.LINKED and not report.case_visible):
            raise Http404  # a link to a case she cannot open is not hers to know of
        try:
            services.report_status_set(actor=request.user, request=request, report=report,
                                       status=request.POST.get("status", ""),
                                       reason=request.POST.get("reason", "")[:2000])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Report %(number)s: %(status)s.") % {
                "number": report.number, "status": report.get_status_display()})
        return redirect("linkage:reports")
    form = forms.ReportsForm(request.POST or None, request.FILES or None)
    problems = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        result = services.reports_import(actor=request.user, request=request,
                                         content=upload.read(), name=upload.name,
                                         source=form.cleaned_data["source"])
        if result.problems:
            problems = result.problems
            form.add_error("file", _("Nothing was saved: fix the rows below and upload the "
                                     "file again."))
        else:
            messages.success(request, _(
                "%(created)s new reports, %(updated)s updated, %(unchanged)s unchanged. They "
                "are being matched against registered persons now.") % {
                    "created": len(result.created), "updated": len(result.updated),
                    "unchanged": result.unchanged})
            return redirect("linkage:reports")
    page = paginate(selectors.reports_for(request.user), request.GET.get("page"))
    selectors.reports_viewed(request.user, list(page.object_list), request=request)
    return render(request, "linkage/reports.html", {"form": form, "page": page,
                                                    "statuses": forms.SETTABLE,
                                                    "closed_label": ReportStatus.CLOSED.label,
                                                    "problems": problems[:200],
                                                    "more": max(len(problems) - 200, 0)})


