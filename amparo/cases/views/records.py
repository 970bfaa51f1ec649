"""Pages of the case file: what happened, consent, assessments, plan, services, follow-up,
notes, documents, timeline and accesses."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from amparo.cases import choices, forms, selectors, services
from amparo.cases.access import case_allows, case_for, defendants_shown
from amparo.cases.extensions import alert_source
from amparo.cases.models import CarePlan, Episode
from amparo.cases.pages import back_to, case_page, record_tab, refresh_version
from amparo.core.pages import refused
from amparo.core.versioning import StaleEdit

# ---- what happened -------------------------------------------------------------------------------

@login_required
def episodes(request, code: str, pk=None):
    case = case_for(request.user, code, "episodes", request=request)
    show_perpetrators = defendants_shown(request.user, case, request=request)
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
                    perpetrators=(form.cleaned_data.get("perpetrators")
                                  if show_perpetrators else None),
                    episode=episode, version=form.cleaned_data.get("version"))
            except ValidationError as error:
                refused(form, error, context)
                if episode is not None:
                    refresh_version(form, episode)
            else:
                messages.success(request, _("Saved."))
                return redirect(back_to(request, "cases:episodes", code))
    rows = []
    for item in selectors.episode_list(case):
        rows.append({"episode": item, "description": item.unseal("description"),
                     "perpetrators": item.unseal("perpetrators") if show_perpetrators else ""})
    context["rows"] = rows
    context["labels"] = selectors.labels(*_EPISODE_LABELS)
    return case_page(request, case, "episodes", "cases/episodes.html", context)


_EPISODE_LABELS = ("forma_explotacion", "tipo_explotacion_sexual", "medio_comision",
                   "medio_control", "modalidad_captacion", "relacion_captador", "sector",
                   "nacionalidad")


# ---- consent, assessments, plan -----------------------------------------------------------------

@login_required
def consents(request, code: str):
    case = case_for(request.user, code, "consents", request=request)
    giver = choices.ConsentGiver.GUARDIAN if case.is_minor else choices.ConsentGiver.SURVIVOR
    form = forms.ConsentForm(request.POST or None, case=case, initial={"given_by": giver})
    context = {"form": form}
    if request.method == "POST":
        saved = record_tab(request, code, "consents", form, lambda data: services.consent_record(
            actor=request.user, request=request, case=case, scope=data["scope"],
            given=data["given"], decided_on=data["decided_on"], given_by=data["given_by"],
            note=data["note"], form=data["form"]), _("Consent recorded."))
        if saved:
            return saved
    history = selectors.consent_list(case)
    context.update(state_rows=selectors.consent_rows(case),
                   history=[(c, c.unseal("note")) for c in history])
    return case_page(request, case, "consents", "cases/consents.html", context)


@login_required
def assessments(request, code: str):
    case = case_for(request.user, code, "assessments", request=request)
    form = forms.AssessmentForm(request.POST or None)
    context = {"form": form}
    if request.method == "POST":
        saved = record_tab(request, code, "assessments", form,
                           lambda data: services.assessment_record(
            actor=request.user, request=request, case=case, assessed_on=data["assessed_on"],
            scores=form.scores(), notes=form.notes()), _("Assessment recorded."))
        if saved:
            return saved
    done, rows = selectors.assessment_table(case)
    context.update(assessments=done, rows=rows)
    return case_page(request, case, "assessments", "cases/assessments.html", context)


@login_required
def plan(request, code: str):
    case = case_for(request.user, code, "plan", request=request)
    form = forms.PlanForm(request.POST or None)
    context = {"form": form, "can_approve": case_allows(request.user, case, "plan.approve")}
    if request.method == "POST":
        saved = record_tab(request, code, "plan", form, lambda data: services.plan_create(
            actor=request.user, request=request, case=case, horizon=data["horizon"],
            goals=form.goals(), review_on=data["review_on"]),
            _("Plan saved as a draft; a coordinator approves it."))
        if saved:
            return saved
    context["plans"] = selectors.plan_list(case)
    context["owners"] = list(forms.PlanActionForm(case=case).fields["owner"].queryset)
    context["status_choices"] = choices.ActionStatus.choices
    return case_page(request, case, "plan", "cases/plan.html", context)


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
    target = selectors.plan_goal_of(case, goal)
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
    action = selectors.plan_action_of(case, pk)
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
        saved = record_tab(request, code, "services", form, lambda data: services.service_record(
            actor=request.user, request=request, case=case, kind=data["kind"], mode=data["mode"],
            delivered_on=data["delivered_on"], minutes=data["minutes"], staff=data["staff"],
            note=data["note"]), _("Service recorded."))
        if saved:
            return saved
    rows = selectors.service_list(case)
    context["rows"] = [(s, s.unseal("note")) for s in rows]
    return case_page(request, case, "services", "cases/services.html", context)


@login_required
def follow_ups(request, code: str):
    case = case_for(request.user, code, "follow_ups", request=request)
    form = forms.FollowUpForm(request.POST or None)
    context = {"form": form}
    if request.method == "POST":
        saved = record_tab(request, code, "follow_ups", form,
                           lambda data: services.follow_up_record(
            actor=request.user, request=request, case=case, contacted_on=data["contacted_on"],
            channel=data["channel"], reached=data["reached"], wellbeing=data["wellbeing"],
            risk_signs=data["risk_signs"], note=data["note"]), _("Follow-up recorded."))
        if saved and form.cleaned_data["risk_signs"]:
            return _risk_next(request, case) or saved
        if saved:
            return saved
    risk_labels = dict(choices.RiskSign.choices)
    context["rows"] = [
        (f, f.unseal("note"), [risk_labels.get(r, r) for r in f.risk_signs])
        for f in selectors.follow_up_list(case)
    ]
    return case_page(request, case, "follow_ups", "cases/follow_ups.html", context)


def _risk_next(request, case):
    """Risk signs were recorded: her alert is already open (recomputed on commit) and the
    coordination told; the next step offered is assessing the risk with her."""
    source = alert_source()
    url = source.risk_page(request.user, case) if source else ""
    if not url:
        return None
    messages.warning(request, _("Risk signs were recorded: a high alert is open and the "
                                "coordination was told. Assess the risk with her now."))
    return redirect(url)


@login_required
def notes(request, code: str):
    case = case_for(request.user, code, "notes", request=request)
    allowed = selectors.note_sensitivities(request.user, case)
    form = forms.NoteForm(request.POST or None, allowed=allowed)
    context = {"form": form}
    if request.method == "POST":
        saved = record_tab(request, code, "notes", form, lambda data: services.note_add(
            actor=request.user, request=request, case=case, text=data["text"],
            sensitivity=data["sensitivity"]), _("Note saved."))
        if saved:
            return saved
    context["rows"] = [(n, n.unseal("text")) for n in selectors.note_list(request.user, case)]
    return case_page(request, case, "notes", "cases/notes.html", context)


@login_required
def documents_tab(request, code: str):
    case = case_for(request.user, code, "documents", request=request)
    form = forms.DocumentForm(request.POST or None, request.FILES or None)
    context = {"form": form}
    if request.method == "POST":
        saved = record_tab(request, code, "documents", form, lambda data: services.document_add(
            actor=request.user, request=request, case=case, kind=data["kind"],
            # Never the file's name as title: «Informe_psicologico_Maria_Quispe.pdf».
            title=data["title"] or str(choices.DocumentKind(data["kind"]).label),
            sensitivity=data["sensitivity"] or None, content=data["file"].read()),
            _("Document stored."))
        if saved:
            return saved
    context["rows"] = selectors.document_list(request.user, case)
    return case_page(request, case, "documents", "cases/documents.html", context)


@require_safe
@login_required
def document_download(request, code: str, pk):
    case = case_for(request.user, code, "documents", request=request)
    document = get_object_or_404(selectors.documents_visible(request.user, case), pk=pk)
    document.data_key = case.data_key
    content = services.document_open(actor=request.user, request=request, case=case,
                                     document=document)
    response = HttpResponse(content, content_type=document.content_type)
    name = f"{case.code}-{str(document.pk)[:8]}.{document.extension}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


# ---- timeline and accesses ----------------------------------------------------------------

@require_safe
@login_required
def timeline(request, code: str):
    case = case_for(request.user, code, "timeline", request=request)
    return case_page(request, case, "timeline", "cases/timeline.html",
                 {"items": selectors.case_timeline(case)})


@require_safe
@login_required
def accesses(request, code: str):
    case = case_for(request.user, code, "accesses", request=request)
    return case_page(request, case, "accesses", "cases/accesses.html",
                 {"events": selectors.case_accesses(case)})
