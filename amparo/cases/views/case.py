"""Pages of the case file: lists, intake, the summary, team, workflow and identity."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from amparo.accounts.permissions import can, offices_for
from amparo.accounts.selectors import offices_where
from amparo.cases import choices, forms, selectors, services
from amparo.cases.access import case_allows, case_for, list_viewed, visible_cases
from amparo.cases.extensions import INTAKE_PARTS
from amparo.cases.pages import INTAKE_STEPS, case_page, refresh_version
from amparo.core.decorators import permission_required
from amparo.core.forms import show_refusal
from amparo.core.pages import paginate, refused
from amparo.core.searches import with_search, without_search

# ---- lists and intake ------------------------------------------------------------------------

@permission_required("case.view")
def case_list(request):
    """Filters travel in the address; a name or document search is posted and kept in the
    session (`core.searches`), so it never lands in the history or an access log."""
    if request.method == "POST" or "q" in request.GET:
        shown, _token = without_search(request.POST if request.method == "POST" else request.GET,
                                       request)
        address = reverse("cases:list") + (f"?{shown.urlencode()}" if shown else "")
        if not (request.htmx and request.method == "POST"):
            return redirect(address)  # a browser without JavaScript, or an old link with ?q=
        response = _case_list(request, request.POST, shown)
        response["HX-Push-Url"] = address
        return response
    data, forgotten = with_search(request.GET, request)
    if forgotten:
        messages.info(request, _("That search was forgotten when your session ended; write it "
                                 "again."))
    return _case_list(request, data, request.GET)


def _case_list(request, data, shown):
    user = request.user
    offices = offices_where(user, "case.view")
    workers = selectors.caseworkers_in(offices)
    filters = forms.CaseFilterForm(data or None, offices=offices, workers=workers)
    broad = can(user, "case.assign") or offices_for(user, "case.view") is None
    view = data.get("vista") or ("oficina" if broad else "mios")
    criteria = {"mine": view == "mios"}
    if filters.is_valid():
        clean = filters.cleaned_data
        criteria.update(status=clean["status"], office=clean["office"], worker=clean["worker"],
                        minor={"si": True, "no": False}.get(clean["minor"]), form=clean["form"],
                        q=clean["q"], alert=clean.get("alert", ""))
    found = selectors.case_list(user, **criteria)
    page = paginate(found, data.get("page"))
    list_viewed(user, [c.code for c in page], request=request)
    template = "cases/_case_rows.html" if request.htmx else "cases/case_list.html"
    return render(request, template, {
        "filters": filters, "page": page, "view": view, "broad": broad, "page_query": shown,
        "labels": selectors.labels("forma_explotacion")["forma_explotacion"],
        "can_create": can(user, "case.create"),
    })


@permission_required("case.create")
def intake(request):
    user = request.user
    offices = offices_where(user, "case.create", active=True)
    form = forms.IntakeForm(request.POST or None, offices=offices)
    parts = [(part, part.form(request.POST or None)) for part in INTAKE_PARTS.values()]
    if request.method == "POST" and form.is_valid() and all(f.is_valid() for _p, f in parts):
        data = form.cleaned_data
        try:
            case = services.case_intake(
                actor=user, request=request, office=data["office"],
                identity=form.identity_data(), contacts=data["contacts"],
                address=data["address"], case=form.case_data(), guardian=data["guardian"],
                parts=[(part, f.cleaned_data) for part, f in parts])
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("Case %(code)s registered. Now record what happened.")
                             % {"code": case.code})
            return redirect(reverse("cases:episodes", args=[case.code]) + "?registro=1")
    return render(request, "cases/intake.html", {
        "form": form, "steps": INTAKE_STEPS,
        "parts": [{"template": part.template, "form": f} for part, f in parts]})


# ---- summary, case data, team and workflow ---------------------------------------------------

@require_safe
@login_required
def case_summary(request, code: str):
    case = case_for(request.user, code, "summary", request=request)
    user = request.user
    context = {
        "consents": selectors.consent_rows(case),
        "status_form": forms.StatusForm(initial={"version": case.version}),
        "workflow": _workflow(case),
        "can_assign": case_allows(user, case, "case.assign"),
        "can_close": case_allows(user, case, "case.close"),
        "labels": selectors.labels("estatus_victima", "forma_explotacion"),
        "pending": selectors.case_pending(case, timezone.localdate()),
    }
    return case_page(request, case, "summary", "cases/summary.html", context)


def _workflow(case):
    steps = list(choices.WORKFLOW)
    if case.status not in [s.value for s in steps]:
        return {"steps": steps, "next": None, "previous": None}
    index = [s.value for s in steps].index(case.status)
    return {
        "steps": steps,
        "next": steps[index + 1] if index + 1 < len(steps) else None,
        "previous": steps[index - 1] if index > 0 else None,
    }


@login_required
def case_edit(request, code: str):
    case = case_for(request.user, code, "summary", request=request)
    if not case_allows(request.user, case, "case.edit"):
        raise PermissionDenied
    initial = {k: getattr(case, k) for k in
               ("intake_date", "arrival", "victim_status", "priority", "guardian_type")}
    initial.update(version=case.version, guardian=case.unseal_guardian())
    form = forms.CaseForm(request.POST or None, initial=initial)
    context = {"form": form}
    if request.method == "POST" and form.is_valid():
        try:
            services.case_update(actor=request.user, request=request, case=case,
                                 version=form.cleaned_data["version"], data=form.case_data(),
                                 guardian=form.cleaned_data["guardian"])
        except ValidationError as error:
            refused(form, error, context)
            refresh_version(form, case)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("cases:case", code=code)
    return case_page(request, case, "summary", "cases/case_form.html", context)


@login_required
def case_assign(request, code: str):
    case = case_for(request.user, code, "summary", request=request)
    if not case_allows(request.user, case, "case.assign"):
        raise PermissionDenied
    form = forms.AssignForm(request.POST or None, office=case.office_id, initial={
        "version": case.version, "worker": case.worker_id,
        "psychologist": case.psychologist_id, "lawyer": case.lawyer_id})
    context = {"form": form}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.case_assign(actor=request.user, request=request, case=case,
                                 version=data["version"], worker=data["worker"],
                                 psychologist=data["psychologist"], lawyer=data["lawyer"])
        except ValidationError as error:
            refused(form, error, context)
            refresh_version(form, case)
        else:
            messages.success(request, _("Team saved."))
            return redirect("cases:case", code=code)
    return case_page(request, case, "summary", "cases/assign.html", context)


@require_POST
@login_required
def case_status(request, code: str):
    case = case_for(request.user, code, "summary", purpose="edit", request=request)
    form = forms.StatusForm(request.POST)
    if form.is_valid():
        try:
            services.case_status_change(actor=request.user, request=request, case=case,
                                        version=form.cleaned_data["version"],
                                        to_status=form.cleaned_data["to_status"],
                                        reason=form.cleaned_data["reason"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Status changed."))
    else:
        messages.error(request,
                       _("The status could not be changed; reload the page and try again."))
    return redirect("cases:case", code=code)


@login_required
def case_close(request, code: str):
    case = case_for(request.user, code, "summary", request=request)
    if not case_allows(request.user, case, "case.close"):
        raise PermissionDenied
    reopening = case.is_closed
    form_class = forms.ReopenForm if reopening else forms.CloseForm
    form = form_class(request.POST or None, initial={"version": case.version})
    context = {"form": form, "reopening": reopening}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if reopening:
                services.case_reopen(actor=request.user, request=request, case=case,
                                     version=data["version"], reason=data["reason"])
            else:
                services.case_close(actor=request.user, request=request, case=case,
                                    version=data["version"], reason=data["reason"],
                                    outcomes=data["outcomes"], note=data["note"])
        except ValidationError as error:
            refused(form, error, context)
            refresh_version(form, case)
        else:
            messages.success(request, _("Case reopened.") if reopening else _("Case closed."))
            return redirect("cases:case", code=code)
    return case_page(request, case, "summary", "cases/close.html", context)


# ---- identity ----------------------------------------------------------------------------------

@login_required
def identity(request, code: str):
    case = case_for(request.user, code, "identity", request=request)
    record = case.person.identity
    editing = request.method == "POST" or request.GET.get("editar") == "1"
    context = {"identity": record, "contacts": record.unseal("contacts"),
               "address": record.unseal("address"), "editing": editing,
               "labels": selectors.labels(*forms.IDENTITY_VOCABULARIES.values()),
               "disabilities": dict(choices.Disability.choices),
               # Only cases she may open: another office's case would reveal where else a
               # named woman is accompanied.
               "other_cases": visible_cases(request.user).filter(person=case.person).exclude(
                   pk=case.pk).only("code", "intake_date")}
    if editing:
        if not case_allows(request.user, case, "case.edit"):
            raise PermissionDenied
        initial = {k: getattr(record, k) for k in services.case.IDENTITY_FIELDS}
        initial.update(version=record.version, origin=record.origin_ubigeo,
                       contacts=context["contacts"], address=context["address"])
        form = forms.IdentityForm(request.POST or None, initial=initial)
        context["form"] = form
        if request.method == "POST" and form.is_valid():
            try:
                services.identity_update(
                    actor=request.user, request=request, case=case,
                    version=form.cleaned_data["version"], identity=form.identity_data(),
                    contacts=form.cleaned_data["contacts"], address=form.cleaned_data["address"])
            except ValidationError as error:
                refused(form, error, context)
                refresh_version(form, record)
            else:
                messages.success(request, _("Identity saved."))
                return redirect("cases:identity", code=code)
    return case_page(request, case, "identity", "cases/identity.html", context)
