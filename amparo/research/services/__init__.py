"""Writes of research: studies from draft to the director's written decision, excerpts
selected and de-identified by the case team, the codebook and coding, exports and noisy
releases against the budget. Each checks who acts and leaves an audit event."""

from __future__ import annotations

import hashlib
import io
import re
import secrets
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from amparo.accounts.models import User
from amparo.accounts.permissions import can
from amparo.audit.services import section_event
from amparo.cases.access import cases_where, list_viewed
from amparo.cases.choices import ConsentScope
from amparo.core.numbers import number_typed
from amparo.core.sheets import XLSX_TYPE, SafeCsvWriter, workbook_bytes
from amparo.research import choices, export, privacy, selectors, statistics
from amparo.research.models import (
    Coding,
    Excerpt,
    Export,
    Pseudonym,
    Release,
    Study,
    Theme,
    YearBudget,
)

Status = choices.Status



def _member(actor: User, study: Study) -> None:
    if not selectors.is_member(actor, study):
        raise PermissionDenied


def _approved(study: Study) -> None:
    if not study.approved:
        raise ValidationError(_("The study is not approved: nothing can be read for it yet."))


@transaction.atomic
def study_save(*, actor: User, request=None, data: dict, study: Study | None = None,
               members: list[str] = ()) -> Study:
    """A researcher's protocol: new, or edited while still a draft (an approved protocol does
    not change; a new one is asked for)."""
    if not can(actor, "research.view") or can(actor, "research.approve"):
        raise PermissionDenied
    if study is not None:
        _member(actor, study)
        if study.status not in (Status.DRAFT, Status.REJECTED):
            raise ValidationError(_("Only a draft protocol can change."))
    errors = {}
    code = (data.get("code") or "").strip().lower()
    if not re.fullmatch(r"[a-z0-9-]{3,30}", code):
        errors["code"] = _("Use 3 to 30 lower-case letters, digits or hyphens, such as "
                           "trayectorias-2026.")
    elif Study.objects.filter(code=code).exclude(pk=getattr(study, "pk", None)).exists():
        errors["code"] = _("Another study has this code.")
    for name in ("title", "question"):
        if not (data.get(name) or "").strip():
            errors[name] = _("This field is required.")
    starts, ends = data.get("starts_on"), data.get("ends_on")
    if not isinstance(starts, date) or not isinstance(ends, date):
        errors["starts_on"] = _("Give the period of the cases, as dates.")
    elif starts > ends:
        errors["ends_on"] = _("The period ends before it starts.")
    kind = data.get("kind")
    if kind not in choices.Kind.values:
        errors["kind"] = _("Choose quantitative or qualitative.")
    variables = [v for v in data.get("variables") or [] if v != "core"]
    unknown = set(variables) - set(export.GROUPS)
    if unknown:
        errors["variables"] = _("Unknown variables: %(v)s.") % {"v": ", ".join(sorted(unknown))}
    k = int(data.get("k") or 11)
    if k < 5:
        errors["k"] = _("k below 5 does not protect anyone; CTDC publishes with k = 11.")
    try:
        budget = number_typed(data.get("epsilon_budget") or "1")
    except ValueError:
        budget = Decimal(-1)
    if not Decimal("0.01") <= budget <= 10:
        errors["epsilon_budget"] = _("Give a budget between 0.01 and 10 (1 is usual).")
    team = list(User.objects.filter(username__in=[m.strip() for m in members if m.strip()]))
    outsiders = [u.username for u in team if not can(u, "research.view") or can(
        u, "research.approve")]
    if outsiders:
        errors["members"] = _("Only researchers join a study's team: %(u)s.") % {
            "u": ", ".join(outsiders)}
    if errors:
        raise ValidationError(errors)
    record = study or Study(created_by=actor)
    for name in ("title", "question"):
        setattr(record, name, data[name].strip())
    record.code, record.kind, record.starts_on, record.ends_on = code, kind, starts, ends
    record.variables, record.k, record.epsilon_budget = sorted(set(variables)), k, budget
    record.excerpts_allowed = bool(data.get("excerpts_allowed"))
    record.professional_notes = bool(data.get("professional_notes"))
    record.status = Status.DRAFT
    record.save()
    record.members.set({actor, *team})
    section_event(request, "research", "study", record.code,
                  action="create" if study is None else "update", actor=actor)
    return record


@transaction.atomic
def study_submit(*, actor: User, request=None, study: Study) -> Study:
    _member(actor, study)
    if study.status not in (Status.DRAFT, Status.REJECTED):
        raise ValidationError(_("Only a draft is sent for approval."))
    study.status = Status.REQUESTED
    study.save(update_fields=["status"])
    section_event(request, "research", "study", study.code, "submitted",
                  action="update", actor=actor)
    return study


@transaction.atomic
def study_decide(*, actor: User, request=None, study: Study, approve: bool,
                 decision: str) -> Study:
    """The director's written decision (the page asks for a fresh second factor first)."""
    if not can(actor, "research.approve"):
        raise PermissionDenied
    if study.status != Status.REQUESTED:
        raise ValidationError(_("Only a study waiting for the director can be decided."))
    if len((decision or "").strip()) < 20:
        raise ValidationError({"decision": _(
            "Write the decision and its reasons (at least a sentence): it stays with the study.")})
    study.status = Status.APPROVED if approve else Status.REJECTED
    study.decision, study.decided_by, study.decided_at = decision.strip(), actor, timezone.now()
    study.save()
    section_event(request, "research", "study", study.code,
                  "approved" if approve else "rejected", action="update", actor=actor)
    return study


@transaction.atomic
def study_close(*, actor: User, request=None, study: Study) -> Study:
    if not (selectors.is_member(actor, study) or can(actor, "research.approve")):
        raise PermissionDenied
    study.status = Status.CLOSED
    study.save(update_fields=["status"])
    section_event(request, "research", "study", study.code, "closed",
                  action="update", actor=actor)
    return study


def _research_id(study: Study, taken: set | None = None) -> str:
    """A random id, new in the study: nothing about the case can be read from it."""
    if taken is None:
        taken = set(Pseudonym.objects.filter(study=study).values_list("research_id", flat=True))
    while (research_id := f"R-{secrets.token_hex(4).upper()}") in taken:
        pass
    taken.add(research_id)
    return research_id


def _pseudonyms(study: Study, cases) -> tuple[dict[int, str], int]:
    """Each cohort case's research id (made on its first extract) and how many cases left the
    cohort since (research consent withdrawn), marked now."""
    ids = set(cases.values_list("pk", flat=True))
    known = dict(Pseudonym.objects.filter(study=study).values_list("case_id", "research_id"))
    taken = set(known.values())
    fresh = []
    for case_id in sorted(ids - set(known)):
        known[case_id] = _research_id(study, taken)
        fresh.append(Pseudonym(study=study, case_id=case_id, research_id=known[case_id]))
    Pseudonym.objects.bulk_create(fresh)
    left = Pseudonym.objects.filter(study=study, withdrawn_at__isnull=True).exclude(
        case_id__in=ids)
    withdrawn = left.update(withdrawn_at=timezone.now())
    Pseudonym.objects.filter(study=study, case_id__in=ids, withdrawn_at__isnull=False).update(
        withdrawn_at=None)  # consent given again
    return {pk: known[pk] for pk in ids}, withdrawn


CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "xlsx": XLSX_TYPE}


@transaction.atomic
def export_make(*, actor: User, request=None, study: Study, fmt: str) -> tuple[Export, bytes]:
    """The study's extract, k-anonymous, watermarked with the study and the requester, as CSV
    or XLSX; recorded with what the check changed. Every case read is named in the log."""
    _member(actor, study)
    _approved(study)
    if fmt not in choices.Format.values:
        raise ValidationError(_("Choose CSV or XLSX."))
    cases = selectors.cohort(study, actor)
    pseudonyms, withdrawn = _pseudonyms(study, cases)
    extract = export.anonymise(export.rows_for(cases, pseudonyms, study.variables), study.k)
    list_viewed(actor, list(cases.values_list("code", flat=True)), request=request,
                section="research")
    now = timezone.localtime()
    mark = _("Study %(code)s · exported by %(user)s on %(when)s · k = %(k)s · do not share "
             "outside the study") % {"code": study.code, "user": actor.username,
                                      "when": now.strftime("%d/%m/%Y %H:%M"), "k": study.k}
    header = extract.columns
    body = [[row[c] for c in header] for row in extract.rows]
    if fmt == "csv":
        out = io.StringIO()
        out.write(f"# {mark}\n")
        writer = SafeCsvWriter(out)
        writer.writerow(header)
        for row in body:
            writer.writerow(row)
        content = out.getvalue().encode("utf-8")
    else:
        content = workbook_bytes([
            (study.code[:31], header, body),
            (_("About"), [_("Field"), _("Value")], [
                [_("Watermark"), mark], [_("Rows"), len(body)],
                [_("Rows generalised"), extract.generalised_rows],
                [_("Cells generalised"), extract.generalised_cells],
                [_("Rows suppressed"), extract.suppressed_rows],
                [_("Left the study (consent withdrawn)"), withdrawn]])])
    record = Export.objects.create(
        study=study, requested_by=actor, format=fmt, rows=len(body),
        generalised_rows=extract.generalised_rows, generalised_cells=extract.generalised_cells,
        suppressed_rows=extract.suppressed_rows, withdrawn=withdrawn, k=study.k,
        digest=hashlib.sha256(content).hexdigest())
    section_event(request, "research", "study", study.code,
                  f"{fmt} {len(body)} rows, {extract.suppressed_rows} "
                                            f"suppressed, {withdrawn} withdrawn", action="export",
                  actor=actor)
    return record, content


def year_default() -> Decimal:
    return Decimal(str(getattr(settings, "AMPARO_RESEARCH_EPSILON_PER_YEAR", 3)))


def _budget_year(year: int) -> YearBudget:
    YearBudget.objects.get_or_create(year=year, defaults={"epsilon": year_default()})
    return YearBudget.objects.select_for_update().get(year=year)


@transaction.atomic
def release_make(*, actor: User, request=None, study: Study | None, dimension: str,
                 first_year: int, last_year: int, epsilon, mechanism: str = "laplace"
                 ) -> tuple[Release, bool]:
    """Counts of people by `dimension`, with noise for a privacy loss of `epsilon`, charged to
    the study's budget (or, for the public fact sheet, the director's) and to the year's. The
    same query again returns the stored release and spends nothing: (release, new)."""
    if study is None:
        if not can(actor, "research.approve"):
            raise PermissionDenied
    else:
        _member(actor, study)
        _approved(study)
    if dimension not in statistics.DIMENSIONS:
        raise ValidationError({"by": _("Count by one of: %(all)s.") % {
            "all": ", ".join(statistics.DIMENSIONS)}})
    if mechanism not in choices.Mechanism.values:
        raise ValidationError({"mechanism": _("Choose Laplace or Gaussian noise.")})
    if not (1990 <= first_year <= last_year <= timezone.localdate().year):
        raise ValidationError({"from": _("Give the years as from ≤ to, up to this year.")})
    try:
        cost = number_typed(epsilon)
    except ValueError:
        raise ValidationError({"epsilon": _("Write ε as a number, such as 0.5.")}) from None
    if not Decimal("0.01") <= cost <= 2:
        raise ValidationError({"epsilon": _("One release spends between 0.01 and 2.")})
    query = f"by={dimension}|{first_year}..{last_year}|{mechanism}|eps={cost.normalize()}"
    year = timezone.localdate().year
    budget = _budget_year(year)  # locks the year's row: one release at a time
    stored = Release.objects.filter(study=study, query=query).first()
    if stored is not None:
        section_event(request, "research", "study", study.code if study else "",
                      f"release {stored.pk} again: {query}", action="view", actor=actor)
        return stored, False
    if study is not None:
        Study.objects.select_for_update().get(pk=study.pk)
        left = study.epsilon_budget - selectors.spent(study=study)
        if cost > left:
            raise ValidationError({"epsilon": _(
                "The study's privacy-loss budget is spent: %(left)s of %(total)s is left. "
                "Reuse a release already made, or ask the director for a new study.") % {
                "left": left.normalize(), "total": study.epsilon_budget.normalize()}})
    left_year = budget.epsilon - selectors.spent(year=year)
    if cost > left_year:
        raise ValidationError({"epsilon": _(
            "This year's privacy-loss budget is spent: %(left)s of %(total)s is left.") % {
            "left": left_year.normalize(), "total": budget.epsilon.normalize()}})
    cases = selectors.cohort(study, actor) if study is not None else _everyone(actor)
    cases = cases.filter(intake_date__year__range=(first_year, last_year))
    exact = statistics.exact_counts(cases, dimension, first_year, last_year)
    noisy = privacy.noisy_counts(exact, float(cost), mechanism)
    release = Release.objects.create(
        study=study, query=query, year=year, mechanism=mechanism, epsilon=cost,
        delta=noisy.delta, scale=noisy.scale, margin=noisy.margin, answer=noisy.answer,
        created_by=actor)
    section_event(request, "research", "study", study.code if study else "",
                  f"release {release.pk}: {query}", action="create", actor=actor)
    return release, True


def _everyone(actor: User):
    """The public fact sheet's cases: every case the director reaches, except those whose
    consent to statistics was refused."""
    return cases_where(actor, "research.view").annotate(
        statistics=selectors.consent_in_force(ConsentScope.STATISTICS)).filter(
        Q(statistics__isnull=True) | Q(statistics=True))  # no decision recorded is not a "no"


@transaction.atomic
def theme_save(*, actor: User, request=None, study: Study, code: str, name: str,
               parent: Theme | None = None, description: str = "") -> Theme:
    _member(actor, study)
    _approved(study)
    code, name = (code or "").strip(), (name or "").strip()
    if not code or not name:
        raise ValidationError(_("A theme has a code and a name."))
    if parent is not None and parent.study_id != study.pk:
        raise PermissionDenied
    theme, _made = Theme.objects.update_or_create(study=study, code=code, defaults={
        "name": name, "parent": parent, "description": description.strip()})
    section_event(request, "research", "study", study.code, f"theme {code}",
                  action="update", actor=actor)
    return theme


@transaction.atomic
def coding_save(*, actor: User, request=None, excerpt: Excerpt, themes: list[int]) -> Coding:
    """The coder's themes for one excerpt (none is an answer too)."""
    study = excerpt.study
    _member(actor, study)
    _approved(study)
    if not excerpt.checked:
        raise ValidationError(_("This excerpt has not been checked yet."))
    chosen = list(study.themes.filter(pk__in=themes))
    coding, _made = Coding.objects.get_or_create(excerpt=excerpt, coder=actor)
    coding.themes.set(chosen)
    coding.save()
    section_event(request, "research", "study", study.code,
                  f"coded excerpt {excerpt.pk}", action="update", actor=actor)
    return coding


@transaction.atomic
def quote_approve(*, actor: User, request=None, excerpt: Excerpt, approved: bool) -> Excerpt:
    """The director lets an excerpt leave Amparo as a quote (or takes it back)."""
    if not can(actor, "research.approve"):
        raise PermissionDenied
    excerpt.quote_approved = approved
    excerpt.save(update_fields=["quote_approved"])
    section_event(request, "research", "study", excerpt.study.code, f"quote {excerpt.pk} "
                                                    f"{'approved' if approved else 'withdrawn'}",
                  action="update", actor=actor)
    return excerpt


def coded_export(*, actor: User, request=None, study: Study) -> bytes:
    """Counts by theme (and per coder) and the quotes the director approved, as XLSX."""
    _member(actor, study)
    _approved(study)
    counts = selectors.theme_counts(study)
    coders = sorted({c for _t, _n, per in counts for c in per})
    quotes = [[e.pseudonym.research_id, e.text] for e in study.excerpts.filter(
        quote_approved=True).select_related("pseudonym", "data_key")]
    section_event(request, "research", "study", study.code,
                  f"coded counts, {len(quotes)} quotes", action="export", actor=actor)
    return workbook_bytes([
        (_("Themes"), [_("Code"), _("Theme"), _("Excerpts"), *coders],
         [[t.code, t.name, n, *[per.get(c, 0) for c in coders]] for t, n, per in counts]),
        (_("Approved quotes"), [_("Research id"), _("Quote")], quotes)])


# The case team's excerpts: selected and de-identified by one person, checked by a second.
from amparo.research.services.excerpts import (  # noqa: E402
    MAX_EXCERPT,
    excerpt_add,
    excerpt_check,
    excerpt_preview,
    excerpt_sources,
    excerpts_to_check,
    excerpts_to_check_read,
    names_on_case,
)

__all__ = ["MAX_EXCERPT", "excerpt_add", "excerpt_check", "excerpt_preview", "excerpt_sources",
           "excerpts_to_check", "excerpts_to_check_read", "names_on_case"]
