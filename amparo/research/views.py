"""The research pages: studies and their approval, the coding workspace, exports, the case
team's excerpt page and the privacy-loss ledger. Thin: the services decide and record."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from amparo.accounts.fresh import fresh_second_factor
from amparo.accounts.permissions import can
from amparo.audit.services import section_event
from amparo.core.decorators import permission_required
from amparo.core.forms import show_refusal
from amparo.core.pages import act_and_tell
from amparo.core.views import posted_or_404
from amparo.research import deid, selectors, services, statistics
from amparo.research.forms import VARIABLES, DecisionForm, ReleaseForm, StudyForm
from amparo.research.models import Excerpt, Release, Study, YearBudget

READERS = ("research.view", "research.approve", "research.excerpt")


@permission_required(*READERS)
def index(request):
    if not can(request.user, "research.view") and not can(request.user, "research.approve"):
        return redirect("research:excerpts")
    section_event(request, "research", "study", "", "studies")
    return render(request, "research/index.html", {
        "studies": selectors.studies_for(request.user),
        "can_propose": can(request.user, "research.view") and not can(
            request.user, "research.approve"),
        "director": can(request.user, "research.approve")})


@permission_required("research.view")
def study_form(request, study: int | None = None):
    record = selectors.study_for(request.user, study) if study else None
    initial = {}
    if record is not None:
        initial = {f: getattr(record, f) for f in (
            "code", "title", "kind", "question", "starts_on", "ends_on", "variables",
            "excerpts_allowed", "professional_notes", "k", "epsilon_budget")}
        initial["members"] = ", ".join(m.username for m in record.members.exclude(
            pk=request.user.pk))
    form = StudyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = services.study_save(actor=request.user, request=request, data=data,
                                        study=record, members=data["members"].split(","))
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("Protocol saved as a draft."))
            return redirect("research:study", study=saved.pk)
    return render(request, "research/study_form.html", {"form": form, "study": record})


def _deciding(request) -> bool:
    return request.POST.get("action") in ("approve", "reject")


@permission_required("research.view", "research.approve")
@fresh_second_factor(when=_deciding)
def study(request, study: int):
    record = selectors.study_for(request.user, study)
    member = selectors.is_member(request.user, record)
    director = can(request.user, "research.approve")
    decision = DecisionForm(request.POST if _deciding(request) else None)
    release_form = ReleaseForm(request.POST if request.POST.get("action") == "release" else None,
                               initial={"first_year": record.starts_on.year,
                                        "last_year": record.ends_on.year})
    if request.method == "POST":
        done = _act(request, record, decision, release_form)
        if done:
            return redirect("research:study", study=record.pk)
    section_event(request, "research", "study", record.code, "study")
    return render(request, "research/study.html", {
        "study": record, "member": member, "director": director, "decision": decision,
        "variables": [label for key, label in VARIABLES if key in record.variables],
        "release_form": release_form,
        "cohort": selectors.cohort(record, request.user).count() if (
            member or director) else None,
        "exports": record.exports.select_related("requested_by"),
        "releases": _labelled(record.releases.all()),
        "spent": selectors.spent(study=record),
        "themes": selectors.theme_counts(record) if record.approved else [],
        "agreements": selectors.agreements(record) if record.approved else [],
        "quotes": record.excerpts.filter(checked_at__isnull=False).select_related(
            "pseudonym", "data_key") if director else []})


def _labelled(releases) -> list[tuple[Release, list[tuple[str, int]]]]:
    """Each release with its categories' names (read once per dimension)."""
    names: dict = {}
    out = []
    for release in releases:
        dimension = release.query.split("|")[0].removeprefix("by=")
        if dimension not in names:
            names[dimension] = statistics.categories(dimension, 1990, timezone.localdate().year)
        out.append((release, [(names[dimension].get(code, code), n)
                              for code, n in release.answer.items()]))
    return out


def _act(request, record: Study, decision: DecisionForm, release_form: ReleaseForm) -> bool:
    action = request.POST.get("action")
    actor = {"actor": request.user, "request": request}
    try:
        if action == "submit":
            services.study_submit(**actor, study=record)
            messages.success(request, _("Sent to the director for approval."))
        elif action in ("approve", "reject"):
            if not decision.is_valid():
                return False
            services.study_decide(**actor, study=record, approve=action == "approve",
                                  decision=decision.cleaned_data["decision"])
            messages.success(request, _("Decision recorded."))
        elif action == "close":
            services.study_close(**actor, study=record)
            messages.success(request, _("Study closed."))
        elif action == "theme":
            parent = record.themes.filter(pk=request.POST.get("parent") or 0).first()
            services.theme_save(**actor, study=record, code=request.POST.get("code", ""),
                                name=request.POST.get("name", ""), parent=parent,
                                description=request.POST.get("description", ""))
            messages.success(request, _("Theme saved."))
        elif action in ("quote", "unquote"):
            excerpt = get_object_or_404(Excerpt, study=record, pk=request.POST.get("excerpt"))
            services.quote_approve(**actor, excerpt=excerpt, approved=action == "quote")
            messages.success(request, _("Decision recorded."))
        elif action == "release":
            if not release_form.is_valid():
                return False
            data = release_form.cleaned_data
            _release, new = services.release_make(
                **actor, study=record, dimension=data["by"], first_year=data["first_year"],
                last_year=data["last_year"], epsilon=data["epsilon"],
                mechanism=data["mechanism"])
            messages.success(request, _("Released.") if new else _(
                "The same query was released before: here it is again, at no cost."))
        else:
            raise Http404
    except ValidationError as error:
        if action in ("approve", "reject"):
            show_refusal(decision, error)
        elif action == "release":
            show_refusal(release_form, error)
        else:
            messages.error(request, " ".join(error.messages))
        return False
    return True


@permission_required("research.view")
@fresh_second_factor(methods=("GET",))  # a file of survivors' rows leaves Amparo
def study_export(request, study: int, fmt: str):
    record = selectors.study_for(request.user, study)
    try:
        made, content = services.export_make(actor=request.user, request=request, study=record,
                                             fmt=fmt)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("research:study", study=record.pk)
    response = HttpResponse(content, content_type=services.CONTENT_TYPES[fmt])
    response["Content-Disposition"] = (
        f'attachment; filename="{record.code}-{made.created_at:%Y%m%d-%H%M}.{fmt}"')
    return response


@permission_required("research.view")
def study_themes(request, study: int):
    record = selectors.study_for(request.user, study)
    try:
        content = services.coded_export(actor=request.user, request=request, study=record)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("research:study", study=record.pk)
    response = HttpResponse(content, content_type=services.CONTENT_TYPES["xlsx"])
    response["Content-Disposition"] = f'attachment; filename="{record.code}-temas.xlsx"'
    return response


@permission_required("research.view")
def coding(request, study: int):
    record = selectors.study_for(request.user, study)
    if not selectors.is_member(request.user, record) or not record.approved:
        raise Http404
    if request.method == "POST":
        excerpt = get_object_or_404(Excerpt, study=record, pk=request.POST.get("excerpt"))
        try:
            services.coding_save(actor=request.user, request=request, excerpt=excerpt,
                                 themes=[int(t) for t in request.POST.getlist("themes")
                                         if t.isdigit()])
            messages.success(request, _("Coding saved."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect(f"{request.path}#e-{excerpt.pk}")
    items = selectors.workspace(record, request.user)
    section_event(request, "research", "study",
                  record.code, f"coding workspace, {len(items)} excerpts")
    return render(request, "research/coding.html", {
        "study": record, "items": items, "themes": list(record.themes.all())})


@permission_required("research.excerpt")
def excerpts(request):
    """The case team's page: the approved studies that take excerpts."""
    section_event(request, "research", "study", "", "excerpt studies")
    return render(request, "research/excerpts.html", {
        "studies": Study.objects.filter(status="aprobado", excerpts_allowed=True)})


@permission_required("research.excerpt")
def excerpt_case(request, study: int):
    record = get_object_or_404(Study, pk=study, status="aprobado", excerpts_allowed=True)
    code = (request.POST.get("caso") or request.GET.get("caso") or "").strip().upper()
    texts, preview, error = [], None, ""
    if code:
        try:
            texts = services.excerpt_sources(request.user, record, code, request=request)
        except ValidationError as refusal:
            error = " ".join(refusal.messages)
    chosen = request.POST.get("fuente", "")
    if request.method == "POST" and request.POST.get("action") in ("check", "return"):
        excerpt = posted_or_404(services.excerpts_to_check(request.user, record), request,
                                "excerpt")
        approve = request.POST["action"] == "check"
        act_and_tell(request, lambda: services.excerpt_check(
            actor=request.user, request=request, excerpt=excerpt, approve=approve),
            _("Checked: the study's researchers can read it now.") if approve
            else _("Returned: the excerpt was removed."))
        return redirect(request.path)
    if request.method == "POST" and texts and chosen:
        source, _sep, source_id = chosen.partition(":")
        if request.POST.get("action") == "preview":
            preview = services.excerpt_preview(actor=request.user, request=request, study=record,
                                               code=code, passage=request.POST.get("passage", ""))
        else:
            try:
                services.excerpt_add(actor=request.user, request=request, study=record,
                                     code=code, source=source, source_id=source_id,
                                     text=request.POST.get("text", ""))
                messages.success(request, _(
                    "Excerpt saved. A second person of the case team checks it before any "
                    "researcher reads it."))
                return redirect(f"{request.path}?caso={code}")
            except ValidationError as refusal:
                error = " ".join(refusal.messages)
                preview = deid.Deidentified(request.POST.get("text", ""), review=deid.review_words(
                    request.POST.get("text", "")))
    return render(request, "research/excerpt_case.html", {
        "study": record, "code": code, "texts": texts, "preview": preview, "error": error,
        "chosen": chosen, "mine": record.excerpts.filter(selected_by=request.user).count(),
        "to_check": services.excerpts_to_check_read(request.user, record, request=request)})


@permission_required("research.view")
def ledger(request):
    """Every release and the budgets it spent: each study's and each year's."""
    director = can(request.user, "research.approve")
    form = ReleaseForm(request.POST or None, initial={
        "first_year": timezone.localdate().year - 4, "last_year": timezone.localdate().year})
    if request.method == "POST":
        if not director:
            raise Http404
        if form.is_valid():
            data = form.cleaned_data
            try:
                _release, new = services.release_make(
                    actor=request.user, request=request, study=None, dimension=data["by"],
                    first_year=data["first_year"], last_year=data["last_year"],
                    epsilon=data["epsilon"], mechanism=data["mechanism"])
                messages.success(request, _("Released.") if new else _(
                    "The same query was released before: here it is again, at no cost."))
                return redirect("research:ledger")
            except ValidationError as error:
                show_refusal(form, error)
    studies = selectors.studies_for(request.user)
    releases = Release.objects.filter(study__in=studies) | (
        Release.objects.filter(study__isnull=True) if director else Release.objects.none())
    year = timezone.localdate().year
    budget = YearBudget.objects.filter(year=year).first()
    section_event(request, "research", "study", "", "ledger")
    return render(request, "research/ledger.html", {
        "releases": _labelled(releases.select_related("study", "created_by")),
        "director": director,
        "form": form, "year": year, "year_spent": selectors.spent(year=year),
        "year_budget": budget.epsilon if budget else services.year_default(),
        "studies": [(s, s.spent or 0) for s in studies.annotate(spent=Sum("releases__epsilon"))]})


