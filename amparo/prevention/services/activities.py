"""Activities (trainings, campaigns): their code, their checks, their test questions."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from amparo.accounts.models import Office, User
from amparo.accounts.permissions import must
from amparo.audit.services import section_event
from amparo.core.counters import counter_take
from amparo.core.versioning import bump, locked
from amparo.prevention import choices
from amparo.prevention.models import (
    Activity,
    ActivityCounter,
)
from amparo.prevention.services.common import (
    ACTIVITY_FIELDS,
    MAX_QUESTIONS,
    QUESTION_LENGTH,
)
from amparo.reference.selectors import ubigeo_exists

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
    must(actor, "prevention.manage", office.pk)
    if activity is None:
        record = Activity(created_by=actor)
    else:
        must(actor, "prevention.manage", activity.office.pk)
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
    section_event(request, "prevention", "activity", record.code,
                  action="create" if activity is None else "update", actor=actor, office=office)
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
