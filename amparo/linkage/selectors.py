"""Reads of the linkage app. Candidates name survivors, so they come only through
`candidates_for(user)`: a coordinator sees a pair when she reviews a case of every person in it
(`linkage.review` over the case's office, through the cases' own access road), and opening one
records an access event naming the cases."""

from __future__ import annotations

from django.db.models import Count, Exists, F, Min, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import Abs
from django.http import Http404

from amparo.accounts.permissions import can
from amparo.audit.services import event_record
from amparo.cases.access import cases_where, visible_cases
from amparo.cases.models import Identity
from amparo.linkage.comparisons import PROBABLE
from amparo.linkage.models import Candidate, MatchRun, Merge, MissingReport

PERMISSION = "linkage.review"


def merged_away(person_ids=None) -> set[int]:
    """Persons whose cases were merged into someone else's (the merge in force)."""
    merges = Merge.objects.filter(undone_at__isnull=True)
    if person_ids is not None:
        merges = merges.filter(merged_id__in=person_ids)
    return set(merges.values_list("merged_id", flat=True))


def candidates_for(user) -> QuerySet[Candidate]:
    reviewable = cases_where(user, PERMISSION)
    mine = Exists(reviewable.filter(person_id=OuterRef("person_id")))
    other_mine = Exists(reviewable.filter(person_id=OuterRef("other_id")))
    # A pair merged by its decision: every case is now the first person's.
    merged = Q(kind=Candidate.Kind.PERSONS, status=Candidate.Status.SAME)
    return (Candidate.objects.filter(mine).filter(Q(other__isnull=True) | other_mine | merged)
            .select_related("report"))


ORDERS = ("probable", "unsure")


def queue_for(user, *, status: str = "open", kind: str = "", order: str = "probable"
              ) -> QuerySet[Candidate]:
    """The queue, most probable first; or with `order="unsure"` the pairs the model is least
    sure of first (nearest 50 %): deciding those teaches the next matching run the most."""
    candidates = candidates_for(user)
    if order == "unsure":
        candidates = candidates.annotate(doubt=Abs(F("probability") - 0.5)).order_by(
            "doubt", "id")
    if status == "open":
        candidates = candidates.filter(status__in=[Candidate.Status.OPEN,
                                                   Candidate.Status.UNSURE])
        away = Merge.objects.filter(undone_at__isnull=True)
        candidates = candidates.exclude(person_id__in=away.values("merged_id")).exclude(
            other_id__in=away.values("merged_id"))
    elif status:
        candidates = candidates.filter(status=status)
    if kind:
        candidates = candidates.filter(kind=kind)
    return candidates


def people(user, candidates: list[Candidate]) -> dict[int, dict]:
    """Each person of the candidates: identity fields and the codes of her cases that the user
    may open (two queries). A case of another office is not named: it would reveal where else
    a named woman is accompanied."""
    ids = {c.person_id for c in candidates} | {c.other_id for c in candidates if c.other_id}
    found = {i.person_id: {"identity": i, "cases": []}
             for i in Identity.objects.filter(person_id__in=ids).select_related("person")}
    for case in visible_cases(user).filter(person_id__in=ids).select_related("office").order_by(
            "-intake_date"):
        found.setdefault(case.person_id, {"identity": None, "cases": []})["cases"].append(case)
    return found


def candidate_for(user, pk: int, *, request=None) -> Candidate:
    candidate = candidates_for(user).filter(pk=pk).first()
    if candidate is None:
        raise Http404
    codes = list(visible_cases(user).filter(
        person_id__in=[candidate.person_id, candidate.other_id]).values_list("code", flat=True))
    event_record(action="view", request=request, actor=user, object_type="candidate",
                 object_id=str(candidate.pk), object_ids=codes, section="linkage")
    return candidate


def reports_for(user) -> QuerySet[MissingReport]:
    """Reports come from outside (police alerts, families): every reviewer sees them all. Their
    link to a case is another matter: `case_visible` says whether the user may open the linked
    case; where she may not, nothing on the page may say the woman is registered."""
    if not can(user, PERMISSION):
        return MissingReport.objects.none()
    return MissingReport.objects.select_related("case").annotate(
        case_visible=Exists(visible_cases(user).filter(pk=OuterRef("case_id"))))


def reports_viewed(user, reports: list[MissingReport], *, request=None) -> None:
    """A page of reports names girls and women who are missing: one access event naming
    every report it showed."""
    if reports:
        event_record(action="view", request=request, actor=user, object_type="missing_report",
                     object_ids=[str(r.pk) for r in reports], section="linkage")


def latest_run() -> MatchRun | None:
    return MatchRun.objects.filter(kind=MatchRun.Kind.FULL).first()


def operating_points(run: MatchRun | None = None) -> dict[str, dict]:
    """Per kind of pair, where the last finished full run drew the "probable" line: the
    lowest probability at which its pairs were, by its own estimate, PRECISION true. Before
    any run measured one, PROBABLE ("more likely the same woman than not")."""
    if run is None or run.status != MatchRun.Status.DONE:
        run = (MatchRun.objects.filter(kind=MatchRun.Kind.FULL, status=MatchRun.Status.DONE)
               .only("model").first())
    measured = ((run.model or {}).get("operating") or {}) if run else {}
    return {kind: measured.get(kind) or {"threshold": PROBABLE, "precision": None}
            for kind in Candidate.Kind.values}


def probable_expected(candidates: QuerySet[Candidate], points: dict[str, dict]) -> dict:
    """Of the candidates marked probable: how many, and how many true pairs their
    probabilities add up to (one query)."""
    marked = Q()
    for kind, point in points.items():
        marked |= Q(kind=kind, probability__gte=point["threshold"])
    found = candidates.filter(marked).aggregate(pairs=Count("pk"), expected=Sum("probability"))
    return {"pairs": found["pairs"] or 0, "expected": round(found["expected"] or 0)}


def person_rows(person_ids=None):
    """What the engine reads of each registered person (not merged away): identity fields and
    the first intake date, the day her estimated age refers to."""
    identities = Identity.objects.exclude(person_id__in=Merge.objects.filter(
        undone_at__isnull=True).values("merged_id"))
    if person_ids is not None:
        identities = identities.filter(person_id__in=person_ids)
    return identities.annotate(
        first_intake=Min("person__cases__intake_date"),
        office_department=Min("person__cases__office__department_id"),
    ).values_list(
        "person_id", "given_names", "paternal_surname", "maternal_surname", "sex", "birth_date",
        "estimated_age", "document_type", "document_number", "origin_ubigeo", "first_intake",
        "office_department").iterator(chunk_size=5000)
