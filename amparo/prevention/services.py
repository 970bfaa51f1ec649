"""Every write of the prevention team: one transaction, the right (`prevention.manage` in the
activity's office), the checks, the audit event. Participants are recognised here, once, so
that every count downstream can simply follow `merged_into`."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from amparo.accounts.models import Office, User
from amparo.accounts.permissions import can
from amparo.audit.services import event_record
from amparo.core import documents
from amparo.core.counters import counter_take
from amparo.core.text import document_key, fold
from amparo.core.versioning import bump, locked
from amparo.crypto.envelope import data_key_create
from amparo.prevention import choices
from amparo.prevention.matching import pairs_find
from amparo.prevention.models import (
    Activity,
    ActivityCounter,
    ActivityDocument,
    Attendance,
    Participant,
    ParticipantPair,
    Reach,
    Score,
)
from amparo.prevention.selectors import participant_key, participant_match
from amparo.reference.selectors import ubigeo_exists

MAX_QUESTIONS = 50
QUESTION_LENGTH = 300
ACTIVITY_FIELDS = ["kind", "title", "office", "starts_on", "ends_on", "ubigeo", "place_name",
                   "topics", "hours", "audiences", "project", "external_facilitators", "status",
                   "min_attendance", "post_test_required", "test_max", "test_questions"]
CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"


def _allowed(actor: User, office: Office) -> None:
    if not can(actor, "prevention.manage", office.pk):
        raise PermissionDenied


def _event(request, actor, action: str, object_type: str, object_id: str, office=None,
           reason: str = "") -> None:
    event_record(action=action, request=request, actor=actor, object_type=object_type,
                 object_id=object_id, section="prevention", office=office, reason=reason)


# ---- activities -------------------------------------------------------------------------------

def activity_code_next(office: Office, year: int) -> str:
    """PRV-CUS-2026-0007: the office's counter row is updated in place, so two activities saved
    at the same moment never get the same number."""
    last = counter_take(ActivityCounter, office=office, year=year)
    return f"PRV-{office.case_prefix}-{year}-{last:04d}"


@transaction.atomic
def activity_save(*, actor: User, request=None, data: dict, activity: Activity | None = None,
                  version: int | None = None, partners=None, facilitators=None) -> Activity:
    """Create or edit an activity. Dates may be in the future (activities are planned); a held
    activity cannot be in the future."""
    office = data.get("office") or (activity.office if activity else None)
    if office is None:
        raise ValidationError({"office": _("Choose the office that runs the activity.")})
    _allowed(actor, office)
    if activity is None:
        record = Activity(created_by=actor)
    else:
        _allowed(actor, activity.office)
        record = locked(Activity, activity.pk, version, ACTIVITY_FIELDS)
        bump(record)
    values = {k: data.get(k, getattr(record, k, None)) for k in ACTIVITY_FIELDS}
    _activity_check(values)
    if activity is not None:
        _questions_kept(record, values["test_questions"])
    for key, value in values.items():
        setattr(record, key, value)
    if activity is None:
        record.code = activity_code_next(office, values["starts_on"].year)
    record.save()
    if partners is not None:  # None: as they were (the API does not send them)
        record.partners.set(partners)
    if facilitators is not None:
        record.facilitators.set(facilitators)
    _event(request, actor, "create" if activity is None else "update", "activity", record.code,
           office=office)
    return record


def _activity_check(values: dict) -> None:
    if values["kind"] not in choices.Kind.values:
        raise ValidationError({"kind": _("Choose the kind of activity.")})
    if not (values["title"] or "").strip():
        raise ValidationError({"title": _("Write what the activity is called.")})
    values["title"] = values["title"].strip()
    if not isinstance(values["starts_on"], date):
        raise ValidationError({"starts_on": _("Write the date it starts (dd/mm/yyyy).")})
    if values["ends_on"] and values["ends_on"] < values["starts_on"]:
        raise ValidationError({"ends_on": _("It cannot end before it starts.")})
    if values["status"] not in choices.Status.values:
        raise ValidationError({"status": _("Choose whether it is planned, held or cancelled.")})
    if values["status"] == choices.Status.DONE and values["starts_on"] > timezone.localdate():
        raise ValidationError({"status": _(
            "An activity that starts in the future cannot have been held yet.")})
    if values["ubigeo"] and not ubigeo_exists(values["ubigeo"]):
        raise ValidationError({"ubigeo": _("Choose the place from the lists.")})
    for field, allowed in (("audiences", choices.Audience.values),
                           ("topics", choices.Topic.values)):
        values[field] = list(dict.fromkeys(values[field] or []))
        if any(v not in allowed for v in values[field]):
            raise ValidationError({field: _("Choose from the list.")})
    if values["kind"] in choices.LEARNING:
        if not values["topics"]:
            raise ValidationError({"topics": _(
                "A training has a curriculum: say what topics it covers.")})
        if not values["hours"] or values["hours"] <= 0:
            raise ValidationError({"hours": _(
                "A training has a curriculum: say how many hours it lasts.")})
    if not 0 <= (values["min_attendance"] or 0) <= 100:
        raise ValidationError({"min_attendance": _("Write a percentage from 0 to 100.")})
    if values["test_max"] is not None and values["test_max"] <= 0:
        raise ValidationError({"test_max": _("The highest score must be above zero.")})
    if values["post_test_required"] and not values["test_max"]:
        raise ValidationError({"test_max": _(
            "To require the post-test, say its highest score.")})
    values["test_questions"] = [q.strip() for q in values.get("test_questions") or []
                                if q and q.strip()]
    questions = values["test_questions"]
    if questions and not values["test_max"]:
        raise ValidationError({"test_max": _(
            "A test with questions needs its highest score: the score is worked out from the "
            "questions answered right.")})
    if len(questions) > MAX_QUESTIONS or any(len(q) > QUESTION_LENGTH for q in questions):
        raise ValidationError({"test_questions": _(
            "Up to %(n)s questions of up to %(length)s characters each; shorten them or split "
            "the test.") % {"n": MAX_QUESTIONS, "length": QUESTION_LENGTH}})


def _questions_kept(activity: Activity, questions: list[str]) -> None:
    """Answers already recorded are per question: the questions may be reworded, not added,
    removed or reordered, or those answers would speak of other questions."""
    if len(questions) != len(activity.test_questions) and activity.scores.exclude(
            answers=[]).exists():
        raise ValidationError({"test_questions": _(
            "Answers to these %(n)s questions are already recorded, so the test keeps %(n)s "
            "questions; you may correct their wording.") % {"n": len(activity.test_questions)}})


# ---- participants: one record per person -------------------------------------------------------

@dataclass
class Found:
    participant: Participant
    created: bool
    how: str  # "document", "name and institution", "new"



def participant_find_or_create(*, actor: User, data: dict) -> Found:
    """The person these details describe: the same document, or the same name at the same
    institution, is the same person (her record is completed with what it lacked); otherwise a
    new record. Whether the new record may be someone already registered under another spelling
    is for the record-linkage engine (`matching.pairs_find`) and then a person."""
    given = (data.get("given_names") or "").strip()
    surnames = (data.get("surnames") or "").strip()
    if not given and not surnames:
        raise ValidationError({"given_names": _("Write her or his name.")})
    if data.get("audience") and data["audience"] not in choices.Audience.values:
        raise ValidationError({"audience": _("Choose the profession or role from the list.")})
    name = participant_key(given, surnames)
    institution = fold(data.get("institution") or "")
    document = document_key(data.get("document_number") or "")
    match = participant_match({**data, "given_names": given, "surnames": surnames})
    if match is not None:
        _complete(match, data, document)
        how = "document" if document and match.document_key == document else (
            "name and institution")
        return Found(match, False, how)
    record = Participant(
        code=_participant_code(), data_key=data_key_create(), given_names=given,
        surnames=surnames, name_key=name, sex=data.get("sex") or "",
        document_type=data.get("document_type") or "",
        document_number=(data.get("document_number") or "").strip(), document_key=document,
        audience=data.get("audience") or choices.Audience.OTHER,
        institution=(data.get("institution") or "").strip(), institution_key=institution,
        department=data.get("department") or "")
    record.seal("contact", (data.get("contact") or "").strip())
    record.save()
    return Found(record, True, "new")


def _participant_code() -> str:
    return "PT-" + "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))


def _complete(record: Participant, data: dict, document: str) -> None:
    """What a later list knows and the record lacked (never overwriting what it has)."""
    changed = []
    for field in ("sex", "document_type", "department", "institution"):
        if not getattr(record, field) and data.get(field):
            setattr(record, field, data[field].strip())
            changed.append(field)
    if not record.document_key and document:
        record.document_number, record.document_key = data["document_number"].strip(), document
        changed += ["document_number", "document_key"]
    if "institution" in changed:
        record.institution_key = fold(record.institution)
        changed.append("institution_key")
    if record.audience == choices.Audience.OTHER and data.get("audience"):
        record.audience = data["audience"]
        changed.append("audience")
    if changed:
        record.save(update_fields=changed)


@transaction.atomic
def pair_decide(*, actor: User, request=None, pair: ParticipantPair, same: bool) -> None:
    """A person's decision on a pair. "The same person" merges the later record into the earlier
    one (and whatever was merged into it): attendance and scores stay where they are and count
    for the one person. Nothing is deleted."""
    if not can(actor, "prevention.manage"):
        raise PermissionDenied
    pair = ParticipantPair.objects.select_for_update().get(pk=pair.pk)
    if pair.status != choices.PairStatus.OPEN:
        raise ValidationError(_("Someone already decided on this pair; the list shows those "
                                "still to review."))
    if same:
        keep, merge = _root(pair.left), _root(pair.right)
        if keep.pk != merge.pk:
            Participant.objects.filter(merged_into=merge).update(merged_into=keep)
            Participant.objects.filter(pk=merge.pk).update(merged_into=keep)
            _complete(keep, {f: getattr(merge, f) for f in (
                "sex", "document_type", "department", "institution", "audience",
                "document_number")}, merge.document_key)
    pair.status = choices.PairStatus.SAME if same else choices.PairStatus.DIFFERENT
    pair.decided_by, pair.decided_at = actor, timezone.now()
    pair.save(update_fields=["status", "decided_by", "decided_at"])
    _event(request, actor, "update", "participant", pair.left.code,
           reason=f"{'same as' if same else 'different from'} {pair.right.code}")


def _root(participant: Participant) -> Participant:
    return participant.merged_into or participant


# ---- attendance, tests, reach -------------------------------------------------------------------

@transaction.atomic
def attendance_record(*, actor: User, request=None, activity: Activity, person: dict,
                      hours: Decimal | None = None, source: str = "page",
                      match: bool = True) -> Attendance:
    """She attended: found or registered once, then recorded once per activity (a second line
    for the same person updates her hours). A new record is matched against everyone registered
    (`matching.pairs_find`); an import asks for that once, for all its new records, with
    `match=False` here."""
    _allowed(actor, activity.office)
    if activity.is_campaign:
        raise ValidationError(_("A campaign has no attendance list; record its reach."))
    if activity.status == choices.Status.CANCELLED:
        raise ValidationError(_("This activity was cancelled, so it has no attendance; if it "
                                "was held after all, change its status to held first."))
    if hours is not None and (hours < 0 or (activity.hours and hours > activity.hours)):
        raise ValidationError({"hours": _("Hours attended go from 0 to the activity's %(h)s.")
                               % {"h": activity.hours}})
    found = participant_find_or_create(actor=actor, data=person)
    if found.created and match:
        pairs_find([found.participant.pk])
    participant = _root(found.participant)
    record, created = Attendance.objects.get_or_create(
        activity=activity, participant=participant,
        defaults={"hours": hours, "source": source, "recorded_by": actor})
    if not created and hours is not None and record.hours != hours:
        record.hours = hours
        record.save(update_fields=["hours"])
    _event(request, actor, "create" if created else "update", "activity", activity.code,
           office=activity.office, reason=f"attendance {participant.code} ({found.how})")
    return record


def _decimal(value, field: str) -> Decimal:
    try:
        return Decimal(str(value).replace(",", "."))
    except (InvalidOperation, ValueError):
        raise ValidationError({field: _("Write a number, such as 14 or 14.5.")}) from None


@transaction.atomic
def score_record(*, actor: User, request=None, activity: Activity, participant: Participant,
                 phase: str, score=None, answers: list | None = None) -> Score:
    """A test result. When the test has questions, `answers` says, question by question, whether
    she answered it right (True), wrong (False) or left it blank (None), and the score follows
    from them; a score alone is kept too (the sheet with the answers may be lost)."""
    _allowed(actor, activity.office)
    if phase not in choices.Phase.values:
        raise ValidationError({"phase": _("Choose reaction, pre-test, post-test or follow-up.")})
    answers = _answers(activity, phase, answers)
    if answers:
        worked_out = (Decimal(sum(1 for a in answers if a)) / len(answers) * activity.test_max
                      ).quantize(Decimal("0.1"))
        if score not in (None, "") and _decimal(score, "score") != worked_out:
            raise ValidationError({"score": _(
                "The questions marked right give %(worked)s, not %(score)s; check the marks or "
                "leave the score empty.") % {"worked": worked_out, "score": score}})
        score = worked_out
    elif score in (None, ""):
        raise ValidationError({"score": _(
            "Write the score, or mark the questions she answered right.")})
    value = _decimal(score, "score")
    if phase == choices.Phase.REACTION:
        low, high = choices.REACTION_SCALE
        if not low <= value <= high:
            raise ValidationError({"score": _("Satisfaction goes from %(low)s to %(high)s.")
                                   % {"low": low, "high": high}})
    elif not activity.test_max:
        raise ValidationError(_("Say the test's highest score in the activity first."))
    elif not 0 <= value <= activity.test_max:
        raise ValidationError({"score": _("The score goes from 0 to %(max)s.")
                               % {"max": activity.test_max}})
    participant = _root(participant)
    if not Attendance.objects.filter(activity=activity, participant=participant).exists():
        raise ValidationError({"participant": _(
            "Record her attendance first: only those who attended take the test.")})
    record, _created = Score.objects.update_or_create(
        activity=activity, participant=participant, phase=phase,
        defaults={"score": value, "answers": answers, "recorded_by": actor})
    _event(request, actor, "update", "activity", activity.code, office=activity.office,
           reason=f"{phase} score {participant.code}")
    return record


def _answers(activity: Activity, phase: str, answers: list | None) -> list:
    """One mark per question of the activity's test (True, False or None), or none at all."""
    if not answers:
        return []
    if phase == choices.Phase.REACTION or not activity.test_questions:
        raise ValidationError({"answers": _(
            "This test has no questions written in the activity; record the score alone, or "
            "write the questions in the activity first.")})
    if len(answers) != len(activity.test_questions) or any(
            a not in (True, False, None) for a in answers):
        raise ValidationError({"answers": _(
            "Give one mark per question (%(n)s): right, wrong or blank.")
            % {"n": len(activity.test_questions)}})
    return [None if a is None else bool(a) for a in answers]


@transaction.atomic
def reach_record(*, actor: User, request=None, activity: Activity, estimated_audience: int,
                 source: str, method: str, mentions: int | None = None) -> Reach:
    """A campaign's estimated audience. It is never added to people trained."""
    _allowed(actor, activity.office)
    if not activity.is_campaign:
        raise ValidationError(_("Reach is recorded for campaigns; a training has attendance."))
    if estimated_audience is None or estimated_audience < 0:
        raise ValidationError({"estimated_audience": _("Write the estimated audience.")})
    if not (source or "").strip() or not (method or "").strip():
        raise ValidationError({"source": _(
            "Say where the figure comes from and how it was estimated: a donor will ask.")})
    record = Reach.objects.create(activity=activity, estimated_audience=estimated_audience,
                                  source=source.strip(), method=method.strip(),
                                  mentions=mentions, recorded_by=actor)
    _event(request, actor, "create", "activity", activity.code, office=activity.office,
           reason="reach")
    return record


@transaction.atomic
def document_add(*, actor: User, request=None, activity: Activity, kind: str, title: str,
                 content: bytes) -> ActivityDocument:
    """An agenda, photos or the signed sheet, sealed like a case's documents (the type is read
    from the content, never trusted from the name)."""
    _allowed(actor, activity.office)
    if kind not in ActivityDocument.Kind.values:
        raise ValidationError({"kind": _("Choose the kind of document.")})
    found = documents.accepted(content)
    record = ActivityDocument(activity=activity, data_key=data_key_create(), kind=kind,
                              title=title.strip() or found.extension.upper(),
                              content_type=found.content_type, extension=found.extension,
                              size=len(content), uploaded_by=actor)
    documents.sealed_store(record, content, f"prevention/{activity.code}")
    record.save()
    _event(request, actor, "create", "activity", activity.code, office=activity.office,
           reason=f"document {record.pk}")
    return record


def document_open(*, actor: User, request=None, activity: Activity,
                  document: ActivityDocument) -> bytes:
    if document.activity_id != activity.pk or not can(actor, "prevention.view",
                                                       activity.office_id):
        raise PermissionDenied
    _event(request, actor, "view", "activity", activity.code, office=activity.office,
           reason=f"document {document.pk}")
    return documents.sealed_read(document)
