"""The import pages for coordinators: upload a workbook, check the proposed mapping, dry-run it
with its report, import, and undo. The work runs in the background worker; the page polls."""

from __future__ import annotations

import io

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from amparo.accounts.fresh import fresh_second_factor
from amparo.core.decorators import permission_required
from amparo.core.sheets import XLSX_TYPE
from amparo.core.workbook import HEADER_SEARCH, BadFile, read
from amparo.imports import attendance, forms, selectors, services
from amparo.imports.fields import is_attendance_header
from amparo.imports.mapping import BadMapping
from amparo.imports.models import ImportRun, Outcome
from amparo.imports.parsers import Unreadable
from amparo.imports.report import TEXT_LIMIT, attention, not_imported, report_xlsx


@permission_required("import.run")
def runs(request):
    services.runs_recover()  # a run whose worker was killed says so, instead of "running"
    offices = list(selectors.import_offices(request.user))
    form = forms.UploadForm(request.POST or None, request.FILES or None, offices=offices)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        office = next(o for o in offices if o.code == form.cleaned_data["office"])
        # Read and proposed in the background worker, never in this request.
        run = services.import_run_create(actor=request.user, request=request, office=office,
                                         file_name=upload.name, content=upload.read())
        messages.success(request, _("File received. The mapping Amparo proposes appears here "
                                    "in a moment; check it, then run the dry run."))
        return redirect("imports:run", run_id=run.pk)
    return render(request, "imports/runs.html", {
        "form": form, "runs": selectors.runs_for(request.user)[:100]})


# Registers need import.run, attendance lists prevention.manage: the run's scope decides which.
@permission_required("import.run", "prevention.manage")
def run(request, run_id):
    services.runs_recover()
    record = selectors.run_for(request.user, run_id)
    if request.htmx and request.method == "GET":
        if request.GET.get("polling") and (record.finished or
                                           record.status == ImportRun.Status.UPLOADED):
            return HttpResponse(headers={"HX-Refresh": "true"})
        return render(request, "imports/_status.html", {"run": record})
    mapping_form = forms.MappingForm(initial={"mapping": record.mapping_text,
                                              "partial": record.partial})
    undo_form = forms.UndoForm(target=record.target)
    if request.method == "POST":
        action = request.POST.get("action")
        if action in ("check", "import"):
            mapping_form = forms.MappingForm(request.POST)
            if mapping_form.is_valid() and _start(request, record, mapping_form, action):
                return redirect("imports:run", run_id=record.pk)
        elif action == "undo":
            undo_form = forms.UndoForm(request.POST, target=record.target)
            if undo_form.is_valid():
                try:
                    services.import_undo(actor=request.user, request=request, run=record)
                except ValidationError as error:
                    undo_form.add_error(None, error)
                else:
                    messages.success(request, _("The import was undone."))
                    return redirect("imports:run", run_id=record.pk)
        else:
            raise Http404
    rejected, warnings, skipped = [], [], ([], [])
    if record.report_sealed and record.finished:
        headers, every = selectors.report_read(record, request=request)
        rejected, warnings = attention(every)
        skipped = not_imported(record, headers)
    return render(request, "imports/run.html", {
        "run": record, "mapping_form": mapping_form, "undo_form": undo_form,
        "rejected": rejected[:TEXT_LIMIT], "more": max(0, len(rejected) - TEXT_LIMIT),
        "warnings": warnings, "by_decision": skipped[0], "unnamed": skipped[1],
        "counts": [(label, record.counts.get(value, 0)) for value, label in Outcome.choices],
        "can_import": record.status == ImportRun.Status.CHECKED,
        "can_undo": record.status == ImportRun.Status.DONE})


@require_POST
@permission_required("prevention.manage")
def attendance_upload(request, code: str):
    """An attendance list for one activity: kept sealed, with a first mapping proposed from its
    headers; then the same run page as a register (check the mapping, dry run, import)."""
    from amparo.prevention.selectors import activities_for

    activity = activities_for(request.user).filter(code=code).first()
    if activity is None:
        raise Http404
    form = forms.ListUploadForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        content = upload.read()
        try:
            # Only the headers, in this request (the rows are read by the worker's dry run).
            sheets = read(content, name=upload.name, known=is_attendance_header,
                          max_rows=HEADER_SEARCH)
            mapping_text = attendance.propose(sheets[0].headers if sheets else [],
                                              office=activity.office.code, activity=code)
            run = services.import_run_create(
                actor=request.user, request=request, office=activity.office,
                file_name=upload.name, content=content, mapping_text=mapping_text,
                target="asistencia")
        except (BadFile, Unreadable) as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("List received. Check the proposed mapping, then run "
                                        "the dry run."))
            return redirect("imports:run", run_id=run.pk)
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect("prevention:activity", code=code)


def _start(request, record: ImportRun, form, action: str) -> bool:
    try:
        services.import_queue(actor=request.user, request=request, run=record,
                              mapping_text=form.cleaned_data["mapping"],
                              dry_run=action == "check", partial=form.cleaned_data["partial"])
    except BadMapping as error:
        form.add_error("mapping", str(error))
        return False
    except ValidationError as error:
        form.add_error(None, error)
        return False
    return True


@require_safe
@permission_required("import.run", "prevention.manage")
@fresh_second_factor(methods=("GET",))  # it repeats the file's rows, names included
def report(request, run_id):
    record = selectors.run_for(request.user, run_id)
    if not record.report_sealed:
        raise Http404
    headers, lines = selectors.report_read(record, request=request, export=True)
    buffer = io.BytesIO()
    report_xlsx(record, headers, lines, buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="informe-{str(record.pk)[:8]}.xlsx"'
    return response
