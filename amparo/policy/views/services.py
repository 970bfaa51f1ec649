"""The policy's services and the evidence of each, by edition."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from amparo.accounts.permissions import can
from amparo.audit.services import section_event
from amparo.core.decorators import permission_required
from amparo.core.pages import paginate, query_with, refused
from amparo.core.sheets import xlsx_response
from amparo.policy import choices, forms, selectors, services
from amparo.policy.models import (
    Evidence,
    Instrument,
    Service,
)
from amparo.policy.views.common import _edition
from amparo.reference.models import Department


@permission_required("policy.view")
def service_list(request):
    edition = _edition(request)
    instrument = edition.instrument if edition else Instrument.objects.first()
    axis = request.GET.get("eje") or ""
    rows = selectors.services_of(instrument, edition=edition, axis=axis,
                                 to_complete=bool(request.GET.get("por_completar")))
    if request.GET.get("formato") == "xlsx":
        section_event(request, "policy", "policy_service", reason="services list", action="export")
        return xlsx_response("servicios.xlsx", [(_("Services of the policy"), [
            _("No."), _("Guideline"), _("Service"), _("Who receives it"), _("Condition"),
            _("Provider"), _("Report axis"), _("Texts confirmed")], [
            [s.number, s.guideline.code if s.guideline else "", s.name, s.receptor,
             s.get_condition_display(), s.provider, s.get_axis_display(),
             _("yes") if s.known else _("no")] for s in rows])])
    section_event(request, "policy", "policy_service", reason="services list")
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
    section_event(request, "policy", "policy_service", service.code)
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
