"""Reads of research: which studies a person reaches, a study's cohort (its cases, through
the access road, whose research consent is in force), the coding workspace, the agreement
between coders, counts by theme and the privacy-loss ledger."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import OuterRef, QuerySet, Subquery, Sum
from django.http import Http404

from amparo.accounts.permissions import can
from amparo.cases.access import cases_where
from amparo.cases.choices import ConsentScope
from amparo.cases.models import Case, Consent
from amparo.research import agreement, choices
from amparo.research.models import Coding, Excerpt, Release, Study, Theme, YearBudget


def studies_for(user) -> QuerySet[Study]:
    """The director sees every study (she approves them); a researcher, the studies she is on;
    the case team, the approved studies that take excerpts."""
    if can(user, "research.approve"):
        return Study.objects.all()
    if can(user, "research.view"):
        return Study.objects.filter(members=user)
    if can(user, "research.excerpt"):
        return Study.objects.filter(status="aprobado", excerpts_allowed=True)
    return Study.objects.none()


def study_for(user, pk: int) -> Study:
    study = studies_for(user).filter(pk=pk).first()
    if study is None:
        raise Http404
    return study


def is_member(user, study: Study) -> bool:
    return can(user, "research.view") and study.members.filter(pk=user.pk).exists()


def consent_in_force(scope: str):
    """A subquery: the case's latest decision on `scope` (True, False or None)."""
    return Subquery(Consent.objects.filter(case=OuterRef("pk"), scope=scope).order_by(
        "-decided_on", "-recorded_at").values("given")[:1])


def cohort(study: Study, user, permission: str = "research.view") -> QuerySet[Case]:
    """The study's cases: registered in its period, with research consent in force, and within
    what `permission` lets the user reach (the access road: a researcher's grant, or a case
    worker's own cases when she excerpts)."""
    return cases_where(user, permission).filter(
        intake_date__range=(study.starts_on, study.ends_on)).annotate(
        research=consent_in_force(ConsentScope.RESEARCH)).filter(research=True)


@dataclass
class CodedExcerpt:
    excerpt: Excerpt
    mine: set[int]  # theme ids this coder applied
    done: bool


def workspace(study: Study, coder) -> list[CodedExcerpt]:
    """The checked excerpts with this coder's themes."""
    excerpts = list(study.excerpts.filter(checked_at__isnull=False).select_related(
        "pseudonym", "data_key"))
    codings = {c.excerpt_id: c for c in Coding.objects.filter(
        excerpt__study=study, coder=coder).prefetch_related("themes")}
    return [CodedExcerpt(e, {t.pk for t in codings[e.pk].themes.all()} if e.pk in codings
                         else set(), e.pk in codings) for e in excerpts]


@dataclass
class Agreement:
    coders: tuple
    shared: int  # excerpts both coded
    overall: float | None
    by_theme: list[tuple[Theme, float | None, str]]


def agreements(study: Study) -> list[Agreement]:
    """Cohen's kappa for each pair of coders, over the excerpts both coded."""
    applied: dict = {}
    coders: dict = {}
    for coding in Coding.objects.filter(excerpt__study=study).select_related(
            "coder").prefetch_related("themes"):
        coders[coding.coder_id] = coding.coder
        applied[(coding.coder_id, coding.excerpt_id)] = {t.pk for t in coding.themes.all()}
    themes = list(study.themes.all())
    ids = sorted(coders)
    out = []
    for i, a in enumerate(ids):
        for b in ids[i + 1:]:
            shared = sorted({e for c, e in applied if c == a} & {e for c, e in applied if c == b})
            if not shared:
                continue
            by_theme = []
            pooled = []
            for theme in themes:
                pairs = [(theme.pk in applied[(a, e)], theme.pk in applied[(b, e)])
                         for e in shared]
                pooled += pairs
                value = agreement.kappa(pairs)
                by_theme.append((theme, value, agreement.reading(value)))
            out.append(Agreement((coders[a], coders[b]), len(shared), agreement.kappa(pooled),
                                 by_theme))
    return out


def theme_counts(study: Study) -> list[tuple[Theme, int, dict]]:
    """Each theme: the excerpts at least one coder applied it to, and per coder."""
    per: dict = {}
    anyone: dict = {}
    for coding in Coding.objects.filter(excerpt__study=study).select_related(
            "coder").prefetch_related("themes"):
        for theme in coding.themes.all():
            per.setdefault(theme.pk, Counter())[coding.coder.username] += 1
            anyone.setdefault(theme.pk, set()).add(coding.excerpt_id)
    return [(t, len(anyone.get(t.pk, ())), dict(per.get(t.pk, {})))
            for t in study.themes.all()]


def spent(study: Study | None = None, year: int | None = None) -> Decimal:
    rows = Release.objects.all()
    if study is not None:
        rows = rows.filter(study=study)
    if year is not None:
        rows = rows.filter(year=year)
    return rows.aggregate(total=Sum("epsilon"))["total"] or Decimal(0)


def studies_taking_excerpts() -> QuerySet[Study]:
    """The approved studies whose protocol takes excerpts (the case team's page)."""
    return Study.objects.filter(status="aprobado", excerpts_allowed=True)


def study_taking_excerpts(pk) -> Study:
    found = studies_taking_excerpts().filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def releases_seen(studies: QuerySet[Study], *, director: bool) -> QuerySet[Release]:
    """The releases of the user's studies, and the organisation's own for a director."""
    rows = Release.objects.filter(study__in=studies)
    if director:
        rows = rows | Release.objects.filter(study__isnull=True)
    return rows.select_related("study", "created_by")


def year_budget(year: int) -> YearBudget | None:
    return YearBudget.objects.filter(year=year).first()


def quotes(study: Study) -> QuerySet[Excerpt]:
    """The study's checked excerpts (the director decides which may be quoted)."""
    return study.excerpts.filter(checked_at__isnull=False).select_related("pseudonym", "data_key")


def protocols_waiting() -> QuerySet[Study]:
    """Studies sent for the director's approval, the oldest first."""
    return Study.objects.filter(status=choices.Status.REQUESTED).order_by("created_at", "pk")


def excerpts_to_code(user) -> QuerySet[Excerpt]:
    """Checked excerpts of her approved studies that she has not coded yet."""
    return (Excerpt.objects.filter(study__members=user, study__status=choices.Status.APPROVED,
                                   checked_at__isnull=False)
            .exclude(codings__coder=user))
