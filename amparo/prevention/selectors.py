"""Reads of the prevention work, within the offices where the user may see it. Every count of
people is of distinct people: attendance is followed to the person (`merged_into`), and a
person counts once over the range however many events she attended."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Avg, Count, Exists, F, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from amparo.accounts.selectors import offices_where
from amparo.core.text import document_key, fold
from amparo.prevention import choices
from amparo.prevention.models import (
    Activity,
    Attendance,
    Participant,
    ParticipantPair,
    Reach,
    Score,
)


def activities_for(user, *, start: date | None = None, end: date | None = None,
                   kind: str = "", office=None) -> QuerySet[Activity]:
    rows = Activity.objects.filter(office__in=offices_where(user, "prevention.view"))
    if start:
        rows = rows.filter(starts_on__gte=start)
    if end:
        rows = rows.filter(starts_on__lte=end)
    if kind:
        rows = rows.filter(kind=kind)
    if office is not None:
        rows = rows.filter(office=office)
    return rows.select_related("office").annotate(people=Count("attendance")).order_by(
        "-starts_on", "-id")


def completed(attendance: QuerySet[Attendance]) -> QuerySet[Attendance]:
    """Attendance that completes its activity: enough of its hours (no hours recorded: the whole
    activity) and, where the activity asks for it, the post-test taken."""
    post = Score.objects.filter(activity=OuterRef("activity"), participant=OuterRef("participant"),
                                phase=choices.Phase.POST)
    enough = (Q(hours__isnull=True) | Q(activity__hours__isnull=True)
              | Q(hours__gte=F("activity__hours") * F("activity__min_attendance") / 100))
    return attendance.filter(enough).filter(
        Q(activity__post_test_required=False) | Exists(post))


def _attendance(user, start: date, end: date, *, office=None,
                only_completed: bool = True) -> QuerySet[Attendance]:
    rows = Attendance.objects.filter(
        activity__in=activities_for(user, start=start, end=end, office=office)
        .exclude(status=choices.Status.CANCELLED).values("pk"),
        activity__kind__in=choices.LEARNING)
    return completed(rows) if only_completed else rows


def people_of(attendance: QuerySet[Attendance]) -> QuerySet[Participant]:
    """The distinct people behind these attendance rows: each row followed to its person."""
    roots = attendance.annotate(root=Coalesce("participant__merged_into", "participant"))
    return Participant.objects.filter(pk__in=roots.values("root"))


@dataclass
class Reached:
    """Distinct people trained in a range, and the breakdowns donors ask for."""

    start: date
    end: date
    total: int = 0
    attended: int = 0  # distinct people who came, completed or not
    by_audience: dict[str, int] = field(default_factory=dict)
    by_sex: dict[str, int] = field(default_factory=dict)
    by_department: dict[str, int] = field(default_factory=dict)
    by_audience_department: dict[tuple[str, str], int] = field(default_factory=dict)


def people_trained(user, start: date, end: date, *, office=None,
                   audiences: list[str] | None = None) -> Reached:
    """Distinct people who completed a training or workshop that started in the range."""
    attendance = _attendance(user, start, end, office=office)
    people = people_of(attendance)
    if audiences:
        people = people.filter(audience__in=audiences)
    rows = list(people.values("audience", "sex", "department").annotate(n=Count("pk"))
                .order_by())
    result = Reached(start, end)
    audience, sex, department, pairs = Counter(), Counter(), Counter(), Counter()
    for row in rows:
        audience[row["audience"]] += row["n"]
        sex[row["sex"] or ""] += row["n"]
        department[row["department"] or ""] += row["n"]
        pairs[(row["audience"], row["department"] or "")] += row["n"]
    result.total = sum(audience.values())
    came = people_of(_attendance(user, start, end, office=office, only_completed=False))
    if audiences:
        came = came.filter(audience__in=audiences)
    result.attended = came.count()
    result.by_audience, result.by_sex = dict(audience), dict(sex)
    result.by_department, result.by_audience_department = dict(department), dict(pairs)
    return result


@dataclass
class Learning:
    """Pre- and post-test, matched person by person (only those who took both count)."""

    matched: int = 0
    improved: int = 0
    mean_gain: Decimal | None = None  # mean normalised gain g = (post - pre) / (max - pre)
    pre_mean: Decimal | None = None
    post_mean: Decimal | None = None
    followed_up: int = 0  # of the matched, how many answered the 3-month follow-up
    reaction_mean: Decimal | None = None  # satisfaction, 1 to 5
    reacted: int = 0  # how many answered the reaction survey
    attended: int = 0  # of how many who attended

    @property
    def reaction_rate(self) -> Decimal | None:
        return None if not self.attended else Decimal(self.reacted * 100 / self.attended)

    @property
    def improved_share(self) -> Decimal | None:
        return None if not self.matched else Decimal(self.improved * 100 / self.matched)

    @property
    def follow_up_rate(self) -> Decimal | None:
        return None if not self.matched else Decimal(self.followed_up * 100 / self.matched)

    @property
    def gain_level(self) -> str:
        if self.mean_gain is None:
            return ""
        return "alta" if self.mean_gain > Decimal("0.7") else (
            "baja" if self.mean_gain < Decimal("0.3") else "media")


def learning(activities: QuerySet[Activity]) -> Learning:
    """Normalised gain over matched pairs; a person whose pre-test was already the highest score
    has no room to gain and is left out of the mean (but counts as matched)."""
    scores = Score.objects.filter(activity__in=activities.values("pk"),
                                  activity__test_max__isnull=False).values_list(
        "activity_id", "participant_id", "phase", "score", "activity__test_max")
    by_pair: dict[tuple, dict] = {}
    for activity, participant, phase, score, top in scores:
        by_pair.setdefault((activity, participant), {"max": top})[phase] = score
    result, gains, pre_sum, post_sum = Learning(), [], Decimal(0), Decimal(0)
    for entry in by_pair.values():
        if choices.Phase.PRE not in entry or choices.Phase.POST not in entry:
            continue
        pre, post, top = entry[choices.Phase.PRE], entry[choices.Phase.POST], entry["max"]
        result.matched += 1
        result.improved += post > pre
        result.followed_up += choices.Phase.FOLLOW_UP in entry
        pre_sum, post_sum = pre_sum + pre, post_sum + post
        if pre < top:
            gains.append((post - pre) / (top - pre))
    if result.matched:
        result.pre_mean = pre_sum / result.matched
        result.post_mean = post_sum / result.matched
    if gains:
        result.mean_gain = sum(gains) / len(gains)
    reactions = Score.objects.filter(activity__in=activities.values("pk"),
                                     phase=choices.Phase.REACTION).aggregate(
        n=Count("pk"), mean=Avg("score"))
    result.reacted, result.reaction_mean = reactions["n"], reactions["mean"]
    result.attended = Attendance.objects.filter(activity__in=activities.values("pk")).count()
    return result


@dataclass
class QuestionResult:
    number: int
    text: str
    pre_right: int = 0
    post_right: int = 0
    matched: int = 0  # who have marks for this question in both tests

    @property
    def pre_share(self) -> Decimal | None:
        return None if not self.matched else Decimal(self.pre_right * 100 / self.matched)

    @property
    def post_share(self) -> Decimal | None:
        return None if not self.matched else Decimal(self.post_right * 100 / self.matched)


def questions_learnt(activity: Activity) -> list[QuestionResult]:
    """Question by question, the share who answered it right before and after, over the people
    with both tests marked (matched pairs, as the gain): what the training taught and what it
    did not. A blank counts as not right."""
    results = [QuestionResult(n, text) for n, text in enumerate(activity.test_questions, 1)]
    if not results:
        return results
    marks: dict[int, dict] = {}
    for participant, phase, answers in Score.objects.filter(
            activity=activity, phase__in=(choices.Phase.PRE, choices.Phase.POST)).exclude(
            answers=[]).values_list("participant_id", "phase", "answers"):
        marks.setdefault(participant, {})[phase] = answers
    for entry in marks.values():
        pre, post = entry.get(choices.Phase.PRE), entry.get(choices.Phase.POST)
        if not pre or not post or len(pre) != len(results) or len(post) != len(results):
            continue
        for result, before, after in zip(results, pre, post):
            result.matched += 1
            result.pre_right += bool(before)
            result.post_right += bool(after)
    return results


def campaign_reach(user, start: date, end: date, *, office=None) -> list[dict]:
    """Each campaign's latest estimate in the range: an audience, never added to people."""
    campaigns = activities_for(user, start=start, end=end, office=office).filter(
        kind__in=choices.CAMPAIGNS)
    latest = {}
    for reach in Reach.objects.filter(activity__in=campaigns.values("pk")).select_related(
            "activity").order_by("activity_id", "recorded_at"):
        latest[reach.activity_id] = reach
    return [{"activity": r.activity, "estimated": r.estimated_audience, "source": r.source,
             "method": r.method, "mentions": r.mentions} for r in latest.values()]


def attendance_of(activity: Activity) -> list[dict]:
    """The activity's attendance, each with whether she completed and her scores."""
    rows = list(Attendance.objects.filter(activity=activity).select_related("participant")
                .order_by("participant__surnames", "participant__given_names"))
    done = set(completed(Attendance.objects.filter(activity=activity))
               .values_list("pk", flat=True))
    scores: dict = {}
    for participant, phase, score in Score.objects.filter(activity=activity).values_list(
            "participant_id", "phase", "score"):
        scores.setdefault(participant, {})[phase] = score
    return [{"attendance": a, "person": a.participant, "completed": a.pk in done,
             "scores": {phase: scores.get(a.participant_id, {}).get(phase)
                        for phase in choices.Phase.values}} for a in rows]


def pairs_open() -> QuerySet[ParticipantPair]:
    """The pairs still to decide, the most probable first."""
    return ParticipantPair.objects.filter(status=choices.PairStatus.OPEN).select_related(
        "left", "right").order_by(F("probability").desc(nulls_last=True), "created_at")


def pairs_for(user) -> QuerySet[ParticipantPair]:
    """The open pairs where either record came to an activity of an office where the user
    manages prevention (a Cusco officer reviews Cusco's, not Loreto's)."""
    offices = offices_where(user, "prevention.manage")
    came = Attendance.objects.filter(activity__office__in=offices)
    return pairs_open().filter(Q(left__in=came.values("participant"))
                               | Q(right__in=came.values("participant")))


def finished_without_attendance(user, today: date) -> QuerySet[Activity]:
    """Trainings and workshops already held (by their date) with nobody on the attendance."""
    return (activities_for(user).filter(kind__in=choices.LEARNING, starts_on__lt=today)
            .exclude(status=choices.Status.CANCELLED).filter(people=0)
            .order_by("starts_on", "id"))


def hours_given(activities: QuerySet[Activity]) -> Decimal:
    return activities.aggregate(h=Sum("hours"))["h"] or Decimal(0)


def participant_key(given_names: str, surnames: str) -> str:
    """A name as compared: folded (no accents, no case, single spaces)."""
    return fold(f"{given_names} {surnames}")


def participant_match(person: dict) -> Participant | None:
    """The person these details describe, if she is registered: the same document, or the same
    name at the same institution (the rule `services.participant_find_or_create` follows)."""
    roots = Participant.objects.filter(merged_into__isnull=True)
    document = document_key(person.get("document_number") or "")
    if document:
        found = roots.filter(document_key=document).first()
        if found is not None:
            return found
    same_name = roots.filter(
        name_key=participant_key(person.get("given_names") or "", person.get("surnames") or ""),
        institution_key=fold(person.get("institution") or ""))
    if document:  # the same name with another document is another person
        same_name = same_name.filter(document_key="")
    return same_name.first()


def attended(participant: Participant, activity_code: str) -> bool:
    return Attendance.objects.filter(participant=participant,
                                     activity__code=activity_code).exists()


def participants_in(rows: list[dict]) -> QuerySet[Participant]:
    """The people of an attendance (`attendance_of`), for the score form's choice."""
    return Participant.objects.filter(pk__in=[r["person"].pk for r in rows])


def learning_of(activity: Activity) -> Learning:
    return learning(Activity.objects.filter(pk=activity.pk))
