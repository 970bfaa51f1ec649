"""Pages of the case file. Thin: every case comes from `case_for` (scope, section, audit),
every write goes to a service, and the page is re-rendered with the service's message when it
refuses."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from amparo.accounts.models import Office, User
from amparo.accounts.permissions import can, offices_for
from amparo.cases import choices, forms, selectors, services
from amparo.cases.access import case_allows, case_for, list_viewed
from amparo.cases.models import CarePlan, CaseDocument, Episode, PlanAction, PlanGoal
from amparo.cases.versioning import StaleEdit
from amparo.core.decorators import permission_required

PAGE_SIZE = 50
TABS = (
    ("summary", "cases:case", gettext_lazy("Summary")),
    ("identity", "cases:identity", gettext_lazy("Identity")),
    ("episodes", "cases:episodes", gettext_lazy("What happened")),
    ("consents", "cases:consents", gettext_lazy("Consent")),
    ("assessments", "cases:assessments", gettext_lazy("Assessments")),
    ("plan", "cases:plan", gettext_lazy("Plan")),
    ("services", "cases:services", gettext_lazy("Services")),
    ("follow_ups", "cases:follow_ups", gettext_lazy("Follow-up")),
    ("notes", "cases:notes", gettext_lazy("Notes")),
    ("documents", "cases:documents", gettext_lazy("Documents")),
    ("timeline", "cases:timeline", gettext_lazy("Timeline")),
    ("accesses", "cases:accesses", gettext_lazy("Accesses")),
)
INTAKE_STEPS = (
    ("summary", gettext_lazy("Person and case")),
    ("episodes", gettext_lazy("What happened")),
    ("consents", gettext_lazy("Consent")),
)


def _apply(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _refused(form, error: ValidationError, context: dict) -> None:
    """Show a service's refusal; for a stale edit, what changed and the version now stored."""
    if isinstance(error, StaleEdit):
        context["stale_changes"] = error.changes
        form.add_error(None, error.messages[0])
        return
    _apply(form, error)


def _page(request, case, section: str, template: str, context: dict, status: int = 200):
    user = request.user
    tabs = [
        {"section": s, "label": label, "url": reverse(url, args=[case.code]), "current": s == section}
        for s, url, label in TABS
        if s != "identity" or case_allows(user, case, "identity.view")
    ]
    editable = case_allows(user, case, "case.edit") and not case.is_closed
    context = {"case": case, "section": section, "tabs": tabs, "editable": editable,
               "intake_step": _intake_step(request, section), **context}
    return render(request, template, context, status=status)


def _intake_step(request, section: str):
    if request.GET.get("registro") != "1":
        return None
    names = [s for s, _label in INTAKE_STEPS]
    if section not in names:
        return None
    index = names.index(section)
    following = names[index + 1] if index + 1 < len(names) else None
    return {"steps": INTAKE_STEPS, "index": index, "number": index + 1,
            "next": dict(TABS_URLS).get(following)}


TABS_URLS = [(s, url) for s, url, _label in TABS]


# ---- lists and intake ------------------------------------------------------------------------

@permission_required("case.view")
def case_list(request):
    user = request.user
    office_ids = offices_for(user, "case.view")
    offices = Office.objects.all() if office_ids is None else Office.objects.filter(pk__in=office_ids)
    workers = User.objects.filter(role_assignments__office__in=offices,
                                  role_assignments__role="caseworker").distinct()
    filters = forms.CaseFilterForm(request.GET or None, offices=offices, workers=workers)
    broad = can(user, "case.assign") or office_ids is None
    view = request.GET.get("vista") or ("oficina" if broad else "mios")
    criteria = {"mine": view == "mios"}
    if filters.is_valid():
        data = filters.cleaned_data
        criteria.update(status=data["status"], office=data["office"], worker=data["worker"],
                        minor={"si": True, "no": False}.get(data["minor"]), form=data["form"],
                        q=data["q"])
    found = selectors.case_list(user, **criteria)
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    list_viewed(user, [c.code for c in page], request=request)
    template = "cases/_case_rows.html" if request.htmx else "cases/case_list.html"
    return render(request, template, {
        "filters": filters, "page": page, "view": view, "broad": broad,
        "labels": selectors.labels("forma_explotacion")["forma_explotacion"],
        "can_create": can(user, "case.create"),
    })


@permission_required("case.create")
def intake(request):
    user = request.user
    office_ids = offices_for(user, "case.create")
    offices = Office.objects.filter(active=True)
    if office_ids is not None:
        offices = offices.filter(pk__in=office_ids)
    form = forms.IntakeForm(request.POST or None, offices=offices)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case = services.case_intake(
                actor=user, request=request, office=data["office"], identity=form.identity_data(),
                contacts=data["contacts"], address=data["address"], case=form.case_data(),
                guardian=data["guardian"],
            )
        except ValidationError as error:
            _apply(form, error)
        else:
            messages.success(request, _("Case %(code)s registered. Now record what happened.")
                             % {"code": case.code})
            return redirect(reverse("cases:episodes", args=[case.code]) + "?registro=1")
    return render(request, "cases/intake.html", {"form": form, "steps": INTAKE_STEPS})


# ---- summary, case data, team and workflow ---------------------------------------------------

@require_safe
@login_required
def case_summary(request, code: str):
    case = case_for(request.user, code, "summary", request=request)
    user = request.user
    context = {
        "consents": _consent_rows(case),
        "status_form": forms.StatusForm(initial={"version": case.version}),
        "workflow": _workflow(case),
        "can_assign": case_allows(user, case, "case.assign"),
        "can_close": case_allows(user, case, "case.close"),
        "labels": selectors.labels("estatus_victima", "forma_explotacion"),
    }
    return _page(request, case, "summary", "cases/summary.html", context)


def _consent_rows(case):
    state = selectors.consent_state(case)
    return [(scope, label, state[scope]) for scope, label in choices.ConsentScope.choices]


def _workflow(case):
    steps = [s for s in choices.WORKFLOW]
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
            _refused(form, error, context)
            _refresh_version(form, case)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("cases:case", code=code)
    return _page(request, case, "summary", "cases/case_form.html", context)


def _refresh_version(form, record) -> None:
    """After a stale edit, the form carries the stored version: saving again is a deliberate
    choice made after seeing what changed."""
    record.refresh_from_db(fields=["version"])
    form.data = form.data.copy()
    form.data["version"] = record.version


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
            _refused(form, error, context)
            _refresh_version(form, case)
        else:
            messages.success(request, _("Team saved."))
            return redirect("cases:case", code=code)
    return _page(request, case, "summary", "cases/assign.html", context)


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
        messages.error(request, _("The status could not be changed; reload the page and try again."))
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
            _refused(form, error, context)
            _refresh_version(form, case)
        else:
            messages.success(request, _("Case reopened.") if reopening else _("Case closed."))
            return redirect("cases:case", code=code)
    return _page(request, case, "summary", "cases/close.html", context)


# ---- identity ----------------------------------------------------------------------------------

@login_required
def identity(request, code: str):
    case = case_for(request.user, code, "identity", request=request)
    record = case.person.identity
    editing = request.method == "POST" or request.GET.get("editar") == "1"
    context = {"identity": record, "contacts": record.unseal("contacts"),
               "address": record.unseal("address"), "editing": editing,
               "labels": selectors.labels(*forms.IDENTITY_VOCABULARIES.values()),
               "other_cases": case.person.cases.exclude(pk=case.pk).only("code", "intake_date")}
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
                _refused(form, error, context)
                _refresh_version(form, record)
            else:
                messages.success(request, _("Identity saved."))
                return redirect("cases:identity", code=code)
    return _page(request, case, "identity", "cases/identity.html", context)


# ---- what happened -------------------------------------------------------------------------------

@login_required
def episodes(request, code: str, pk=None):
    case = case_for(request.user, code, "episodes", request=request)
    show_perpetrators = case_allows(request.user, case, "defendant.view")
    episode = get_object_or_404(Episode, pk=pk, case=case) if pk else None
    initial = {}
    if episode is not None:
        episode.data_key = case.data_key
        initial = {k: getattr(episode, k) for k in services.records.EPISODE_FIELDS}
        initial.update(version=episode.version, place=episode.place_ubigeo,
                       description=episode.unseal("description"),
                       perpetrators=episode.unseal("perpetrators") if show_perpetrators else "")
    form = forms.EpisodeForm(request.POST or None, initial=initial)
    if not show_perpetrators:
        del form.fields["perpetrators"]
    context = {"form": form, "editing_episode": episode, "show_perpetrators": show_perpetrators}
    if request.method == "POST":
        case_for(request.user, code, "episodes", purpose="edit", request=request)
        if form.is_valid():
            try:
                services.episode_save(
                    actor=request.user, request=request, case=case, data=form.episode_data(),
                    description=form.cleaned_data["description"],
                    perpetrators=form.cleaned_data.get("perpetrators") if show_perpetrators else None,
                    episode=episode, version=form.cleaned_data.get("version"))
            except ValidationError as error:
                _refused(form, error, context)
                if episode is not None:
                    _refresh_version(form, episode)
            else:
                messages.success(request, _("Saved."))
                return redirect(_back(request, "cases:episodes", code))
    rows = []
    for item in selectors.episode_list(case):
        rows.append({"episode": item, "description": item.unseal("description"),
                     "perpetrators": item.unseal("perpetrators") if show_perpetrators else ""})
    context["rows"] = rows
    context["labels"] = selectors.labels(*_EPISODE_LABELS)
    return _page(request, case, "episodes", "cases/episodes.html", context)


_EPISODE_LABELS = ("forma_explotacion", "tipo_explotacion_sexual", "medio_comision",
                   "medio_control", "modalidad_captacion", "relacion_captador", "sector",
                   "nacionalidad")


def _back(request, url_name: str, code: str) -> str:
    url = reverse(url_name, args=[code])
    return url + "?registro=1" if request.GET.get("registro") == "1" else url


# ---- consent, assessments, plan -----------------------------------------------------------------

@login_required
def consents(request, code: str):
    case = case_for(request.user, code, "consents", request=request)
    form = forms.ConsentForm(request.POST or None, case=case, initial={
        "given_by": choices.ConsentGiver.GUARDIAN if case.is_minor else choices.ConsentGiver.SURVIVOR})
    context = {"form": form}
    if request.method == "POST":
        case_for(request.user, code, "consents", purpose="edit", request=request)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.consent_record(actor=request.user, request=request, case=case,
                                        scope=data["scope"], given=data["given"],
                                        decided_on=data["decided_on"], given_by=data["given_by"],
                                        note=data["note"], form=data["form"])
            except ValidationError as error:
                _apply(form, error)
            else:
                messages.success(request, _("Consent recorded."))
                return redirect(_back(request, "cases:consents", code))
    history = selectors.consent_list(case)
    context.update(state_rows=_consent_rows(case),
                   history=[(c, c.unseal("note")) for c in history])
    return _page(request, case, "consents", "cases/consents.html", context)


@login_required
def assessments(request, code: str):
    case = case_for(request.user, code, "assessments", request=request)
    form = forms.AssessmentForm(request.POST or None)
    context = {"form": form}
    if request.method == "POST":
        case_for(request.user, code, "assessments", purpose="edit", request=request)
        if form.is_valid():
            try:
                services.assessment_record(actor=request.user, request=request, case=case,
                                           assessed_on=form.cleaned_data["assessed_on"],
                                           scores=form.scores(), notes=form.notes())
            except ValidationError as error:
                _apply(form, error)
            else:
                messages.success(request, _("Assessment recorded."))
                return redirect("cases:assessments", code=code)
    done, rows = selectors.assessment_table(case)
    context.update(assessments=done, rows=rows)
    return _page(request, case, "assessments", "cases/assessments.html", context)


@login_required
def plan(request, code: str):
    case = case_for(request.user, code, "plan", request=request)
    form = forms.PlanForm(request.POST or None)
    context = {"form": form, "can_approve": case_allows(request.user, case, "plan.approve")}
    if request.method == "POST":
        case_for(request.user, code, "plan", purpose="edit", request=request)
        if form.is_valid():
            try:
                services.plan_create(actor=request.user, request=request, case=case,
                                     horizon=form.cleaned_data["horizon"], goals=form.goals(),
                                     review_on=form.cleaned_data["review_on"])
            except ValidationError as error:
                _apply(form, error)
            else:
                messages.success(request, _("Plan saved as a draft; a coordinator approves it."))
                return redirect("cases:plan", code=code)
    context["plans"] = selectors.plan_list(case)
    context["owners"] = list(forms.PlanActionForm(case=case).fields["owner"].queryset)
    context["status_choices"] = choices.ActionStatus.choices
    return _page(request, case, "plan", "cases/plan.html", context)


@require_POST
@login_required
def plan_approve(request, code: str, pk: int):
    case = case_for(request.user, code, "plan", request=request)
    record = get_object_or_404(CarePlan, pk=pk, case=case)
    try:
        services.plan_approve(actor=request.user, request=request, case=case, plan=record,
                              version=int(request.POST.get("version") or 0))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Plan approved."))
    return redirect("cases:plan", code=code)


@require_POST
@login_required
def plan_action_add(request, code: str, goal: int):
    case = case_for(request.user, code, "plan", purpose="edit", request=request)
    target = get_object_or_404(PlanGoal.objects.select_related("plan"), pk=goal, plan__case=case)
    form = forms.PlanActionForm(request.POST, case=case)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.plan_action_add(actor=request.user, request=request, case=case, goal=target,
                                     description=data["description"], owner=data["owner"],
                                     due_on=data["due_on"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Action added."))
    else:
        messages.error(request, _("Describe the action to add it."))
    return redirect("cases:plan", code=code)


@require_POST
@login_required
def plan_action_update(request, code: str, pk: int):
    case = case_for(request.user, code, "plan", purpose="edit", request=request)
    action = get_object_or_404(PlanAction.objects.select_related("goal__plan"), pk=pk,
                               goal__plan__case=case)
    form = forms.PlanActionStatusForm(request.POST)
    if form.is_valid():
        try:
            services.plan_action_update(actor=request.user, request=request, case=case,
                                        action=action, version=form.cleaned_data["version"],
                                        status=form.cleaned_data["status"],
                                        due_on=action.due_on, owner=action.owner)
        except StaleEdit as error:
            changes = "; ".join(f"{c.field}: {c.now}" for c in error.changes)
            messages.error(request, f"{error.messages[0]} ({changes})")
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Action updated."))
    return redirect("cases:plan", code=code)


# ---- services, follow-ups, notes, documents ---------------------------------------------------

@login_required
def services_tab(request, code: str):
    case = case_for(request.user, code, "services", request=request)
    form = forms.ServiceForm(request.POST or None, case=case, user=request.user)
    context = {"form": form}
    if request.method == "POST":
        case_for(request.user, code, "services", purpose="edit", request=request)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.service_record(actor=request.user, request=request, case=case,
                                        kind=data["kind"], mode=data["mode"],
                                        delivered_on=data["delivered_on"],
                                        minutes=data["minutes"], staff=data["staff"],
                                        note=data["note"])
            except ValidationError as error:
                _apply(form, error)
            else:
                messages.success(request, _("Service recorded."))
                return redirect("cases:services", code=code)
    rows = selectors.service_list(case)
    context["rows"] = [(s, s.unseal("note")) for s in rows]
    return _page(request, case, "services", "cases/services.html", context)


@login_required
def follow_ups(request, code: str):
    case = case_for(request.user, code, "follow_ups", request=request)
    form = forms.FollowUpForm(request.POST or None)
    context = {"form": form}
    if request.method == "POST":
        case_for(request.user, code, "follow_ups", purpose="edit", request=request)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.follow_up_record(actor=request.user, request=request, case=case,
                                          contacted_on=data["contacted_on"],
                                          channel=data["channel"], reached=data["reached"],
                                          wellbeing=data["wellbeing"],
                                          risk_signs=data["risk_signs"], note=data["note"])
            except ValidationError as error:
                _apply(form, error)
            else:
                messages.success(request, _("Follow-up recorded."))
                return redirect("cases:follow_ups", code=code)
    risk_labels = dict(choices.RiskSign.choices)
    context["rows"] = [
        (f, f.unseal("note"), [risk_labels.get(r, r) for r in f.risk_signs])
        for f in selectors.follow_up_list(case)
    ]
    return _page(request, case, "follow_ups", "cases/follow_ups.html", context)


@login_required
def notes(request, code: str):
    case = case_for(request.user, code, "notes", request=request)
    allowed = selectors.note_sensitivities(request.user, case)
    form = forms.NoteForm(request.POST or None, allowed=allowed)
    context = {"form": form}
    if request.method == "POST":
        case_for(request.user, code, "notes", purpose="edit", request=request)
        if form.is_valid():
            try:
                services.note_add(actor=request.user, request=request, case=case,
                                  text=form.cleaned_data["text"],
                                  sensitivity=form.cleaned_data["sensitivity"])
            except ValidationError as error:
                _apply(form, error)
            else:
                messages.success(request, _("Note saved."))
                return redirect("cases:notes", code=code)
    context["rows"] = [(n, n.unseal("text")) for n in selectors.note_list(request.user, case)]
    return _page(request, case, "notes", "cases/notes.html", context)


@login_required
def documents_tab(request, code: str):
    case = case_for(request.user, code, "documents", request=request)
    form = forms.DocumentForm(request.POST or None, request.FILES or None)
    context = {"form": form}
    if request.method == "POST":
        case_for(request.user, code, "documents", purpose="edit", request=request)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                services.document_add(actor=request.user, request=request, case=case,
                                      kind=form.cleaned_data["kind"],
                                      title=form.cleaned_data["title"] or upload.name,
                                      content=upload.read())
            except ValidationError as error:
                _apply(form, error)
            else:
                messages.success(request, _("Document stored."))
                return redirect("cases:documents", code=code)
    context["rows"] = selectors.document_list(case)
    return _page(request, case, "documents", "cases/documents.html", context)


@require_safe
@login_required
def document_download(request, code: str, pk):
    case = case_for(request.user, code, "documents", request=request)
    document = get_object_or_404(CaseDocument, pk=pk, case=case)
    document.data_key = case.data_key
    content = services.document_open(actor=request.user, request=request, case=case,
                                     document=document)
    response = HttpResponse(content, content_type=document.content_type)
    response["Content-Disposition"] = f'attachment; filename="{case.code}-{str(document.pk)[:8]}.{document.extension}"'
    response["Cache-Control"] = "no-store"
    return response


# ---- timeline and accesses ------------------------------------------------------------------------

@require_safe
@login_required
def timeline(request, code: str):
    case = case_for(request.user, code, "timeline", request=request)
    return _page(request, case, "timeline", "cases/timeline.html",
                 {"items": selectors.case_timeline(case)})


@require_safe
@login_required
def accesses(request, code: str):
    case = case_for(request.user, code, "accesses", request=request)
    return _page(request, case, "accesses", "cases/accesses.html",
                 {"events": selectors.case_accesses(case)})
