"""The research pages: studies and their approval, the coding workspace, exports, the case
team's excerpt page and the privacy-loss ledger. Thin: the services decide and record."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from amparo.accounts.fresh import fresh_second_factor
from amparo.accounts.permissions import can
from amparo.audit.services import section_event
from amparo.core.decorators import permission_required
from amparo.core.forms import show_refusal
from amparo.core.pages import FormsPage, act_and_tell
from amparo.core.views import posted_or_404
from amparo.research import choices, deid, selectors, services, statistics
from amparo.research.forms import (
    VARIABLES,
    CodingForm,
    DecisionForm,
    ReleaseForm,
    StudyForm,
    ThemeForm,
)
from amparo.research.models import Release, Study

READERS = ("research.view", "research.approve", "research.excerpt")
STUDY_ACTIONS = ("submit", "approve", "reject", "close", "theme", "quote", "unquote", "release")


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
    page = FormsPage(request, STUDY_ACTIONS)
    decision = DecisionForm(page.data("approve") or page.data("reject"))
    release_form = ReleaseForm(page.data("release"), initial={
        "first_year": record.starts_on.year, "last_year": record.ends_on.year})
    theme_form = ThemeForm(page.data("theme"), study=record)
    if page.action:
        form = {"approve": decision, "reject": decision, "release": release_form,
                "theme": theme_form}.get(page.action)
        context = {}
        done = page.submit(form, _study_saves(request, record, page)[page.action], context)
        if done:
            return page.done(done, reverse("research:study", args=[record.pk]))
    section_event(request, "research", "study", record.code, "study")
    return render(request, "research/study.html", {
        "study": record, "member": member, "director": director, "decision": decision,
        "variables": [label for key, label in VARIABLES if key in record.variables],
        "release_form": release_form, "theme_form": theme_form,
        "cohort": selectors.cohort(record, request.user).count() if (
            member or director) else None,
        "exports": record.exports.select_related("requested_by"),
        "releases": _labelled(record.releases.all()),
        "spent": selectors.spent(study=record),
        "themes": selectors.theme_counts(record) if record.approved else [],
        "agreements": selectors.agreements(record) if record.approved else [],
        "quotes": selectors.quotes(record) if director else []}, status=page.status)


def _release_said(query: str) -> str:
    """A release's question in words ("Form of exploitation, 2011–2026, Laplace noise"), not
    its stored key ("by=form|2011..2026|laplace|eps=0.25")."""
    parts = dict(enumerate(query.split("|")))
    dimension = parts.get(0, "").removeprefix("by=")
    years = parts.get(1, "").replace("..", "–")
    mechanism = dict(choices.Mechanism.choices).get(parts.get(2, ""), parts.get(2, ""))
    return ", ".join(str(p) for p in (statistics.DIMENSIONS.get(dimension, dimension), years,
                                      mechanism) if p)


def _labelled(releases) -> list[tuple[Release, list[tuple[str, int]]]]:
    """Each release with its categories' names (the vocabularies read once for all)."""
    releases = list(releases)
    dimensions = {release.query.split("|")[0].removeprefix("by=") for release in releases}
    names = statistics.categories_of(dimensions, 1990, timezone.localdate().year)
    for release in releases:
        release.said = _release_said(release.query)
    return [(release, [(names[dimension].get(code, code), n)
                       for code, n in release.answer.items()])
            for release in releases
            for dimension in [release.query.split("|")[0].removeprefix("by=")]]


def _study_saves(request, record: Study, page: FormsPage) -> dict:
    """What each of the study page's forms and buttons does (one service call) and says."""
    actor = {"actor": request.user, "request": request}

    def decide(data):
        services.study_decide(**actor, study=record, approve=page.action == "approve",
                              decision=data["decision"])
        return _("Decision recorded.")

    def theme(data):
        services.theme_save(**actor, study=record, code=data["code"], name=data["name"],
                            parent=data["parent"], description=data["description"])
        return _("Theme saved.")

    def quote(data):
        excerpt = posted_or_404(record.excerpts.all(), request, "excerpt")
        services.quote_approve(**actor, excerpt=excerpt, approved=page.action == "quote")
        return _("Decision recorded.")

    def release(data):
        _release, new = services.release_make(
            **actor, study=record, dimension=data["by"], first_year=data["first_year"],
            last_year=data["last_year"], epsilon=data["epsilon"], mechanism=data["mechanism"])
        return _("Released.") if new else _(
            "The same query was released before: here it is again, at no cost.")

    def submit(data):
        services.study_submit(**actor, study=record)
        return _("Sent to the director for approval.")

    def close(data):
        services.study_close(**actor, study=record)
        return _("Study closed.")

    return {"approve": decide, "reject": decide, "theme": theme, "quote": quote,
            "unquote": quote, "release": release, "submit": submit, "close": close}


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
        excerpt = posted_or_404(record.excerpts.all(), request, "excerpt")
        form = CodingForm(request.POST, study=record)
        if not form.is_valid():
            messages.error(request, _("Choose themes of this study's codebook."))
        else:
            act_and_tell(request, lambda: services.coding_save(
                actor=request.user, request=request, excerpt=excerpt,
                themes=[t.pk for t in form.cleaned_data["themes"]]), _("Coding saved."))
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
        "studies": selectors.studies_taking_excerpts()})


@permission_required("research.excerpt")
def excerpt_case(request, study: int):
    record = selectors.study_taking_excerpts(study)
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
    releases = selectors.releases_seen(studies, director=director)
    year = timezone.localdate().year
    budget = selectors.year_budget(year)
    section_event(request, "research", "study", "", "ledger")
    return render(request, "research/ledger.html", {
        "releases": _labelled(releases),
        "director": director,
        "form": form, "year": year, "year_spent": selectors.spent(year=year),
        "year_budget": budget.epsilon if budget else services.year_default(),
        "studies": [(s, s.spent or 0) for s in studies.annotate(spent=Sum("releases__epsilon"))]})


