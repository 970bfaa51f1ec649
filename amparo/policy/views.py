"""The watchdog's pages: thin, they parse, call a service or a selector, and render. Nothing here
touches case data; every page needs `policy.view` and every write `policy.manage`."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from amparo.accounts.permissions import can
from amparo.audit.services import event_record
from amparo.core.decorators import permission_required
from amparo.core.pages import paginate, query_with, refused
from amparo.core.sheets import xlsx_response
from amparo.policy import choices, forms, report, selectors, services
from amparo.policy.models import (
    AnswerDocument,
    ChapterText,
    Edition,
    Evidence,
    Guideline,
    Indicator,
    InformationRequest,
    Instrument,
    RegionalInstrument,
    Service,
)
from amparo.reference.models import Department


def _edition(request) -> Edition | None:
    """The edition chosen in `?edicion=`, or the latest."""
    code = request.GET.get("edicion")
    editions = Edition.objects.select_related("instrument")
    if code:
        return get_object_or_404(editions, code=code)
    return editions.first()


def _view(request, object_type: str, object_id="", reason: str = "", action: str = "view"):
    event_record(action=action, request=request, actor=request.user, object_type=object_type,
                 object_id=str(object_id), section="policy", reason=reason)


@permission_required("policy.view")
def dashboard(request):
    edition = _edition(request)
    context = {"edition": edition, "editions": Edition.objects.all(),
               "can_manage": can(request.user, "policy.manage"),
               "instruments": Instrument.objects.exists()}
    if edition is not None:
        summary = selectors.summary(edition)
        context.update(summary=summary, charts=[
            report.budget_chart(summary), report.requests_chart(summary),
            report.instruments_map(summary)])
    _view(request, "policy_edition", getattr(edition, "code", ""))
    return render(request, "policy/dashboard.html", context)


@require_POST
@permission_required("policy.manage")
def structure_load(request):
    loaded = services.structure_load_shipped(actor=request.user, request=request)
    messages.success(request, _("The policy's structure is loaded: %(n)s records added, "
                                "%(kept)s kept as they were.") % {
        "n": sum(x.created for x in loaded), "kept": sum(x.kept for x in loaded)})
    return redirect("policy:dashboard")


@permission_required("policy.view")
def structure(request):
    """The policy's objectives, guidelines and indicators; `?editar=lineamiento-7` or
    `indicador-3` (or `indicador-nuevo`) opens one to complete or correct."""
    edition = _edition(request)
    instrument = edition.instrument if edition else Instrument.objects.first()
    if instrument is None:
        return redirect("policy:dashboard")
    manage = can(request.user, "policy.manage")
    editing = (request.GET.get("editar") or "") if manage else ""
    kind, _sep, key = editing.partition("-")
    form, target = None, None
    if kind == "lineamiento":
        target = get_object_or_404(Guideline, pk=_int(key), objective__instrument=instrument)
        form = forms.GuidelineForm(request.POST or None, initial={
            "text": target.text, "known": target.known})
    elif kind == "indicador":
        target = None if key == "nuevo" else get_object_or_404(
            Indicator, pk=_int(key), objective__instrument=instrument)
        initial = {f: getattr(target, f) for f in (
            "objective", "service", "name", "unit", "baseline_year", "baseline", "targets",
            "known")} if target else {}
        form = forms.IndicatorForm(request.POST or None, instrument=instrument, initial=initial)
    elif request.method == "POST":
        raise Http404
    context = {"instrument": instrument, "edition": edition, "form": form, "kind": kind,
               "target": target, "can_manage": manage, "editing": editing}
    if request.method == "POST" and form is not None and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            if kind == "lineamiento":
                services.guideline_save(actor=request.user, request=request, guideline=target,
                                        text=data["text"], known=data["known"])
            else:
                data["targets"] = services.targets_parse(data["targets"])
                services.indicator_save(actor=request.user, request=request, data=data,
                                        indicator=target)
        except ValidationError as error:
            refused(form, error, context)
        else:
            messages.success(request, _("Saved; the earlier text stays in its history."))
            return redirect(reverse("policy:structure") + (
                f"?edicion={edition.code}" if edition else ""))
    context["objectives"] = instrument.objectives.prefetch_related(
        "guidelines", Prefetch("indicators", queryset=Indicator.objects.select_related(
            "service")))
    _view(request, "policy_structure", instrument.code)
    return render(request, "policy/structure.html", context,
                  status=400 if request.method == "POST" else 200)


def _int(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise Http404 from None


@permission_required("policy.view")
def service_list(request):
    edition = _edition(request)
    instrument = edition.instrument if edition else Instrument.objects.first()
    axis = request.GET.get("eje") or ""
    rows = selectors.services_of(instrument, edition=edition, axis=axis,
                                 to_complete=bool(request.GET.get("por_completar")))
    if request.GET.get("formato") == "xlsx":
        _view(request, "policy_service", reason="services list", action="export")
        return xlsx_response("servicios.xlsx", [(_("Services of the policy"), [
            _("No."), _("Guideline"), _("Service"), _("Who receives it"), _("Condition"),
            _("Provider"), _("Report axis"), _("Texts confirmed")], [
            [s.number, s.guideline.code if s.guideline else "", s.name, s.receptor,
             s.get_condition_display(), s.provider, s.get_axis_display(),
             _("yes") if s.known else _("no")] for s in rows])])
    _view(request, "policy_service", reason="services list")
    return render(request, "policy/service_list.html", {
        "page": paginate(rows, request.GET.get("page")), "edition": edition, "axis": axis,
        "axes": choices.Axis.choices, "instrument": instrument,
        "export": query_with(request.GET, formato="xlsx")})


@permission_required("policy.view")
def service_detail(request, pk: int):
    service = get_object_or_404(Service.objects.select_related("guideline__objective",
                                                               "instrument"), pk=pk)
    edition = _edition(request)
    if edition is not None and edition.instrument_id != service.instrument_id:
        edition = service.instrument.editions.first()
    manage = can(request.user, "policy.manage")
    action = request.POST.get("action") if request.method == "POST" else None
    if action and not manage:
        raise Http404
    bound = lambda name: request.POST if action == name else None  # noqa: E731
    initial = {f: getattr(service, f) for f in services.SERVICE_FIELDS}
    initial["version"] = service.version
    context = {
        "service": service, "edition": edition, "can_manage": manage, "failed": action,
        "service_form": forms.ServiceForm(bound("service"), instrument=service.instrument,
                                          initial=initial, prefix="s"),
        "history": service.history.select_related("history_user").order_by("-history_date")[:10],
        "editions": service.instrument.editions.all(),
    }
    if edition is not None:
        context["evidence"] = list(Evidence.objects.filter(edition=edition, service=service)
                                   .prefetch_related("sources"))
        context["evidence_form"] = forms.EvidenceForm(bound("evidence"), edition=edition,
                                                      prefix="e")
        context["source_form"] = forms.SourceForm(bound("source"), prefix="f")
        names = dict(Department.objects.values_list("code", "name"))
        for item in context["evidence"]:
            item.department_name = names.get(item.department, item.department)
    if action:
        done = _service_act(request, service, edition, action, context)
        if done:
            messages.success(request, done)
            url = f"{request.path}?edicion={edition.code}" if edition else request.path
            return redirect(url)
    _view(request, "policy_service", service.code)
    return render(request, "policy/service.html", context, status=400 if action else 200)


def _service_act(request, service, edition, action, context) -> str | None:
    form = {"service": context["service_form"], "evidence": context.get("evidence_form"),
            "source": context.get("source_form")}.get(action)
    if form is None or not form.is_valid():
        return None
    data = dict(form.cleaned_data)
    common = {"actor": request.user, "request": request}
    try:
        if action == "service":
            version = data.pop("version")
            services.service_save(**common, service=service, data=data, version=version)
            return _("Service saved; the earlier wording stays in its history.")
        if action == "evidence":
            year, department = data.pop("year"), data.pop("department") or ""
            services.evidence_save(**common, edition=edition, service=service, year=year,
                                   department=department, data=data)
            return _("Evidence saved.")
        evidence = get_object_or_404(Evidence, pk=data["evidence"], service=service)
        services.source_add(**common, evidence=evidence, kind=data["kind"],
                            reference=data["reference"], dated=data["dated"])
        return _("Source added.")
    except ValidationError as error:
        refused(form, error, context)
        return None


@permission_required("policy.view")
def request_list(request):
    edition = _edition(request)
    state = request.GET.get("estado") or ""
    if state not in choices.RequestState.values:
        state = ""
    rows = selectors.requests_register(edition=edition, state=state)
    manage = can(request.user, "policy.manage")
    form = forms.RequestForm(request.POST or None, edition=edition) if (
        manage and edition) else None
    context = {"edition": edition, "state": state, "states": choices.RequestState.choices,
               "form": form, "can_manage": manage, "editions": Edition.objects.all()}
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                made = services.request_create(actor=request.user, request=request,
                                               edition=edition, data=data,
                                               services=data.pop("services"))
            except ValidationError as error:
                refused(form, error, context)
            else:
                messages.success(request, _("Request %(code)s registered; it is due on "
                                            "%(due)s.") % {
                    "code": made.code, "due": made.due_on.strftime("%d/%m/%Y")})
                return redirect("policy:request", code=made.code)
    if request.GET.get("formato") == "xlsx":
        _view(request, "policy_request", reason="request register", action="export")
        return xlsx_response("solicitudes.xlsx", [(_("Information requests"), [
            _("Code"), _("Entity"), _("Filed"), _("Deadline"), _("Outcome"), _("Days late"),
            _("The answer was"), _("Reminders")], [
            [r.code, str(r.entity), r.sent_on, r.deadline,
             str(choices.RequestState(r.state).label), r.days_late,
             r.get_completeness_display(), len(r.reminders.all())] for r in rows])])
    context["page"] = paginate(rows, request.GET.get("page"))
    context["export"] = query_with(request.GET, formato="xlsx")
    _view(request, "policy_request", reason="request register")
    return render(request, "policy/request_list.html", context,
                  status=400 if request.method == "POST" else 200)


@permission_required("policy.view")
def request_detail(request, code: str):
    record = get_object_or_404(InformationRequest.objects.select_related("entity", "edition"),
                               code=code)
    manage = can(request.user, "policy.manage")
    action = request.POST.get("action") if request.method == "POST" else None
    if action and (not manage or action not in ("answer", "reminder", "document")):
        raise Http404
    bound = lambda name: request.POST if action == name else None  # noqa: E731
    context = {
        "record": record, "can_manage": manage,
        "state_label": choices.RequestState(selectors.request_state(record)).label,
        "failed": action,
        "answer_form": forms.AnswerForm(bound("answer"), prefix="a", initial={
            "extended_to": record.extended_to, "answered_on": record.answered_on,
            "completeness": record.completeness, "answer_summary": record.answer_summary,
            "version": record.version}),
        "reminder_form": forms.ReminderForm(bound("reminder"), prefix="r"),
        "document_form": forms.AnswerDocumentForm(
            bound("document"), request.FILES if action == "document" else None, prefix="d"),
    }
    if action:
        done = _request_act(request, record, action, context)
        if done:
            messages.success(request, done)
            return redirect("policy:request", code=code)
    context["services"] = list(record.services.all())
    context["reminders"] = list(record.reminders.all())
    context["documents"] = list(record.documents.all())
    _view(request, "policy_request", record.code)
    return render(request, "policy/request.html", context, status=400 if action else 200)


def _request_act(request, record, action, context) -> str | None:
    form = context[f"{action}_form"]
    if not form.is_valid():
        return None
    data = dict(form.cleaned_data)
    common = {"actor": request.user, "request": request, "record": record}
    try:
        if action == "answer":
            version = data.pop("version")
            services.request_update(**common, data=data, version=version)
            return _("Request updated.")
        if action == "reminder":
            services.reminder_add(**common, sent_on=data["sent_on"], note=data["note"])
            return _("Reminder recorded.")
        services.answer_document_add(**common, title=data["title"],
                                     content=data["file"].read(), sealed=data["sealed"])
        return _("Document kept.")
    except ValidationError as error:
        refused(form, error, context)
        return None


@require_safe
@permission_required("policy.view")
def request_document(request, code: str, pk):
    document = get_object_or_404(AnswerDocument.objects.select_related("request", "data_key"),
                                 pk=pk, request__code=code)
    content = services.answer_document_open(actor=request.user, request=request,
                                            document=document)
    response = HttpResponse(content, content_type=document.content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="{document.request.code}-{str(document.pk)[:8]}.'
        f'{document.extension}"')
    return response


@permission_required("policy.view")
def instrument_list(request, pk: int | None = None):
    record = get_object_or_404(RegionalInstrument, pk=pk) if pk else None
    manage = can(request.user, "policy.manage")
    initial = {f: getattr(record, f) for f in services.INSTRUMENT_FIELDS} if record else {}
    form = forms.InstrumentForm(request.POST or None, initial=initial) if manage else None
    context = {"record": record, "form": form, "can_manage": manage}
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            try:
                services.instrument_save(actor=request.user, request=request,
                                         data=form.cleaned_data, record=record)
            except ValidationError as error:
                refused(form, error, context)
            else:
                messages.success(request, _("Instrument saved."))
                return redirect("policy:instruments")
    rows = RegionalInstrument.objects.all()
    department = request.GET.get("departamento") or ""
    if department:
        rows = rows.filter(department=department)
    names = dict(Department.objects.values_list("code", "name"))
    if request.GET.get("formato") == "xlsx":
        _view(request, "policy_instrument", reason="regional instruments", action="export")
        return xlsx_response("instrumentos-regionales.xlsx", [(_("Regional instruments"), [
            _("Department"), _("Kind"), _("Name"), _("Norm"), _("From year"), _("To year"),
            _("Anti-trafficking objectives"), _("Budget lines"), _("Budget (PEN)")], [
            [names.get(i.department, i.department), i.get_kind_display(), i.name, i.norm,
             i.starts, i.ends, _("yes") if i.has_objectives else _("no"),
             _("yes") if i.budget_lines else _("no"),
             float(i.budget) if i.budget is not None else ""] for i in rows])])
    for row in rows:
        row.department_name = names.get(row.department, row.department)
    context.update(page=paginate(rows, request.GET.get("page")), department=department,
                   departments=sorted(names.items()),
                   export=query_with(request.GET, formato="xlsx"))
    _view(request, "policy_instrument", reason="regional instruments")
    return render(request, "policy/instruments.html", context,
                  status=400 if request.method == "POST" else 200)


@permission_required("policy.view")
def edition_detail(request, code: str | None = None):
    edition = get_object_or_404(Edition, code=code) if code else None
    manage = can(request.user, "policy.manage")
    action = request.POST.get("action") if request.method == "POST" else None
    if action and not manage:
        raise Http404
    initial = {}
    if edition is not None:
        initial = {"instrument": edition.instrument, "first_year": edition.first_year,
                   "last_year": edition.last_year, "title": edition.title,
                   "scale": edition.scale, "published_on": edition.published_on}
    else:
        initial = {"instrument": Instrument.objects.first()}
    form = forms.EditionForm(request.POST if action == "edition" else None, initial=initial)
    texts = dict(ChapterText.objects.filter(edition=edition).values_list("chapter", "text")) if (
        edition) else {}
    chapters = [(value, label, forms.ChapterForm(
        request.POST if action == "chapter" and request.POST.get("chapter") == value else None,
        initial={"chapter": value, "text": texts.get(value, "")}, prefix=f"c-{value}"))
        for value, label in choices.Chapter.choices]
    context = {"edition": edition, "form": form, "chapters": chapters, "can_manage": manage,
               "failed": action}
    if action == "edition" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            data["scale"] = services.scale_parse(data["scale"])
            saved = services.edition_save(actor=request.user, request=request, data=data,
                                          edition=edition)
        except ValidationError as error:
            refused(form, error, context)
        else:
            messages.success(request, _("Edition %(code)s saved.") % {"code": saved.code})
            return redirect("policy:edition", code=saved.code)
    elif action == "chapter" and edition is not None:
        chosen = next((f for v, _label, f in chapters if v == request.POST.get("chapter")),
                      None)
        if chosen is None:
            raise Http404
        chosen.data = request.POST
        if chosen.is_valid():
            services.chapter_save(actor=request.user, request=request, edition=edition,
                                  chapter=chosen.cleaned_data["chapter"],
                                  text=chosen.cleaned_data["text"])
            messages.success(request, _("Chapter saved."))
            return redirect("policy:edition", code=edition.code)
    _view(request, "policy_edition", code or "")
    return render(request, "policy/edition.html", context, status=400 if action else 200)


@require_safe
@permission_required("policy.view")
def edition_report(request, code: str, fmt: str):
    edition = get_object_or_404(Edition.objects.select_related("instrument"), code=code)
    if fmt not in report.FORMATS:
        raise Http404
    content_type, make = report.FORMATS[fmt]
    content = make(report.draft(edition))
    _view(request, "policy_edition", edition.code, reason=f"report {fmt}", action="export")
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="informe-{edition.code}.{fmt}"'
    return response


@permission_required("policy.view")
def comparison(request):
    edition = _edition(request)
    editions = list(Edition.objects.filter(instrument=edition.instrument).order_by(
        "first_year")) if edition else []
    rows = selectors.comparison(editions)
    if request.GET.get("formato") == "xlsx":
        _view(request, "policy_edition", reason="comparison", action="export")
        header = [_("No."), _("Service")]
        for e in editions:
            header += [f"{e.code}: " + _("Budget"), f"{e.code}: " + _("Implementation")]
        return xlsx_response("comparacion.xlsx", [(_("Comparison"), header, [
            [c.service.number, c.service.name] + [
                value for e in editions for value in (
                    report.budget_label(c.by_edition[e.code].budget),
                    str(choices.Implementation(c.by_edition[e.code].implementation).label))]
            for c in rows])])
    _view(request, "policy_edition", reason="comparison")
    return render(request, "policy/comparison.html", {
        "editions": editions, "edition": edition,
        "rows": [(c.service, [c.by_edition.get(e.code) for e in editions]) for c in rows],
        "export": query_with(request.GET, formato="xlsx")})
