"""The policy's services and the evidence of each, by edition."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from amparo.accounts.permissions import can
from amparo.audit.services import section_event
from amparo.core.decorators import permission_required
from amparo.core.pages import FormsPage, paginate, query_with
from amparo.core.sheets import xlsx_response
from amparo.policy import choices, forms, selectors, services
from amparo.policy.views.common import _edition


@permission_required("policy.view")
def service_list(request):
    edition = _edition(request)
    instrument = edition.instrument if edition else selectors.instrument_latest()
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
    service = selectors.service_for(pk)
    edition = _edition(request)
    if edition is not None and edition.instrument_id != service.instrument_id:
        edition = service.instrument.editions.first()
    manage = can(request.user, "policy.manage")
    page = FormsPage(request, ("service", "evidence", "source"), allowed=manage)
    initial = {f: getattr(service, f) for f in services.SERVICE_FIELDS}
    initial["version"] = service.version
    context = {
        "service": service, "edition": edition, "can_manage": manage, "failed": page.action,
        "service_form": forms.ServiceForm(page.data("service"), instrument=service.instrument,
                                          initial=initial, prefix="s"),
        "history": service.history.select_related("history_user").order_by("-history_date")[:10],
        "editions": service.instrument.editions.all(),
    }
    if edition is not None:
        context["evidence"] = selectors.evidence_of(edition, service)
        context["evidence_form"] = forms.EvidenceForm(page.data("evidence"), edition=edition,
                                                      prefix="e")
        context["source_form"] = forms.SourceForm(page.data("source"), prefix="f")
    if page.action:
        form = context.get(f"{page.action}_form")
        if form is None:  # evidence and sources belong to an edition
            raise Http404
        done = page.submit(form, _service_saves(request, service, edition)[page.action], context)
        if done:
            return page.done(done, f"{request.path}?edicion={edition.code}" if edition
                             else request.path)
    section_event(request, "policy", "policy_service", service.code)
    return render(request, "policy/service.html", context, status=page.status)


def _service_saves(request, service, edition) -> dict:
    """What each of the service page's forms saves (one service call) and says."""
    common = {"actor": request.user, "request": request}

    def save_service(data):
        version = data.pop("version")
        services.service_save(**common, service=service, data=data, version=version)
        return _("Service saved; the earlier wording stays in its history.")

    def evidence(data):
        year, department = data.pop("year"), data.pop("department") or ""
        services.evidence_save(**common, edition=edition, service=service, year=year,
                               department=department, data=data)
        return _("Evidence saved.")

    def source(data):
        services.source_add(**common, evidence=selectors.evidence_one(service, data["evidence"]),
                            kind=data["kind"], reference=data["reference"], dated=data["dated"])
        return _("Source added.")

    return {"service": save_service, "evidence": evidence, "source": source}
