"""The accused (their details sealed, seen only by those the access module allows), hearings
and protection measures."""

from __future__ import annotations

import json
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from amparo.accounts.models import User
from amparo.cases.access import case_allows
from amparo.cases.extensions import cases_changed
from amparo.cases.guards import case_event, check_not_future
from amparo.cases.models import Case
from amparo.core.versioning import bump, locked
from amparo.legal import choices
from amparo.legal.models import (
    Defendant,
    Hearing,
    Measure,
    Proceeding,
)
from amparo.legal.services.common import (
    HEARING_FIELDS,
    HEARING_TRACKED,
    MEASURE_FIELDS,
    institution_check,
    legal_editable,
    staff_check,
)
from amparo.referrals.choices import InstitutionKind

DEFENDANT_DETAILS = ("name", "alias", "document", "relation", "notes")


@transaction.atomic
def defendant_save(*, actor: User, request=None, case: Case, proceeding: Proceeding, role: str,
                   situation: str, details: dict[str, str], defendant: Defendant | None = None,
                   version: int | None = None) -> Defendant:
    legal_editable(actor, case)
    if not case_allows(actor, case, "defendant.view"):
        raise PermissionDenied
    if proceeding.case_id != case.pk:
        raise PermissionDenied
    if role not in choices.DefendantRole.values:
        raise ValidationError({"role": _("Choose the defendant's role.")})
    if situation not in choices.DefendantSituation.values:
        raise ValidationError({"situation": _("Choose the defendant's situation.")})
    clean = {k: (details.get(k) or "").strip() for k in DEFENDANT_DETAILS}
    unnamed = not (clean["name"] or clean["alias"])
    if unnamed and situation != choices.DefendantSituation.UNIDENTIFIED:
        raise ValidationError({"name": _(
            "Write a name or an alias, or mark the defendant as not identified.")})
    if defendant is None:
        record = Defendant(proceeding=proceeding, data_key=case.data_key, created_by=actor)
    else:
        record = locked(Defendant, defendant.pk, version, ["role", "situation", "details_sealed"])
        if record.proceeding_id != proceeding.pk:
            raise PermissionDenied
        record.data_key = case.data_key
        bump(record)
    record.role, record.situation = role, situation
    record.seal("details", json.dumps(clean, ensure_ascii=False))
    record.save()
    case_event(request, actor, "create" if defendant is None else "update", case, "defendants",
           reason=f"proceeding {proceeding.pk}")
    return record


def defendant_details(defendant: Defendant) -> dict[str, str]:
    stored = json.loads(defendant.unseal("details") or "{}")
    return {k: stored.get(k, "") for k in DEFENDANT_DETAILS}


# ---- hearings and measures ---------------------------------------------------------------------

@transaction.atomic
def hearing_save(*, actor: User, request=None, case: Case, proceeding: Proceeding, data: dict,
                 attendees: list[User], note: str = "", hearing: Hearing | None = None,
                 version: int | None = None) -> Hearing:
    legal_editable(actor, case)
    if proceeding.case_id != case.pk:
        raise PermissionDenied
    if hearing is None:
        record = Hearing(proceeding=proceeding, data_key=case.data_key, created_by=actor)
    else:
        record = locked(Hearing, hearing.pk, version, HEARING_TRACKED)
        if record.proceeding_id != proceeding.pk:
            raise PermissionDenied
        record.data_key = case.data_key
        bump(record)
    values = {k: data.get(k, getattr(record, k, None)) for k in HEARING_FIELDS}
    if values["kind"] not in choices.HearingKind.values:
        raise ValidationError({"kind": _("Choose the type of hearing.")})
    if not isinstance(values["starts_at"], datetime):
        raise ValidationError({"starts_at": _("Write the date and time of the hearing.")})
    status = values["status"] or choices.HearingStatus.SCHEDULED
    if status not in choices.HearingStatus.values:
        raise ValidationError({"status": _("Choose the hearing's status.")})
    if status == choices.HearingStatus.HELD and values["starts_at"] > timezone.now():
        raise ValidationError({"status": _("A hearing in the future cannot have been held yet.")})
    if values["survivor_attended"] is not None and status != choices.HearingStatus.HELD:
        raise ValidationError({"survivor_attended": _(
            "Whether she attended is recorded once the hearing was held.")})
    institution_check(values["court"], {InstitutionKind.COURT}, "court", _("Choose a court."))
    for person in attendees:
        staff_check(person, case, "attendees",
                    _("Those who go from the team must work in this case's office."))
    values["status"] = status
    for key, value in values.items():
        setattr(record, key, value)
    record.seal("note", note)
    record.save()
    record.attendees.set(attendees)
    day = min(timezone.localtime(record.starts_at).date(), timezone.localdate())
    if status == choices.HearingStatus.HELD and day > proceeding.last_activity_on:
        Proceeding.objects.filter(pk=proceeding.pk).update(last_activity_on=day)
    case_event(request, actor, "create" if hearing is None else "update", case, "legal",
               reason=f"hearing in {proceeding.pk}")
    cases_changed([case.pk])  # its alerts follow, once committed
    return record


def hearing_outcome(*, actor: User, request=None, case: Case, proceeding: Proceeding,
                    hearing: Hearing, version: int, status: str, survivor_attended: bool | None,
                    starts_at: datetime | None = None) -> Hearing:
    """What became of a hearing (held, postponed, moved to a new time), keeping who goes from
    the team and its note."""
    hearing.data_key = case.data_key
    changes = {"status": status, "survivor_attended": survivor_attended}
    if starts_at:
        changes["starts_at"] = starts_at
    cases_changed([case.pk])  # its alerts follow, once committed
    return hearing_save(actor=actor, request=request, case=case, proceeding=proceeding,
                        data=changes, attendees=list(hearing.attendees.all()),
                        note=hearing.unseal("note"), hearing=hearing, version=version)


@transaction.atomic
def measure_save(*, actor: User, request=None, case: Case, data: dict, note: str = "",
                 measure: Measure | None = None, version: int | None = None) -> Measure:
    legal_editable(actor, case)
    if measure is None:
        record = Measure(case=case, data_key=case.data_key, created_by=actor)
    else:
        record = locked(Measure, measure.pk, version, MEASURE_FIELDS)
        if record.case_id != case.pk:
            raise PermissionDenied
        record.data_key = case.data_key
        bump(record)
    values = {k: data.get(k, getattr(record, k, None)) for k in MEASURE_FIELDS}
    if values["kind"] not in choices.MeasureKind.values:
        raise ValidationError({"kind": _("Choose the measure.")})
    if values["status"] not in choices.MeasureStatus.values:
        raise ValidationError({"status": _("Choose the measure's status.")})
    if not values["requested_on"]:
        raise ValidationError({"requested_on": _("Write the date it was requested.")})
    check_not_future(values["requested_on"], "requested_on")
    check_not_future(values["granted_on"], "granted_on")
    granted = {choices.MeasureStatus.GRANTED, choices.MeasureStatus.CARRIED_OUT}
    if values["status"] in granted and not values["granted_on"]:
        raise ValidationError({"granted_on": _("Write the date it was granted.")})
    if values["granted_on"] and values["granted_on"] < values["requested_on"]:
        raise ValidationError({"granted_on": _("It cannot be granted before it was requested.")})
    if values["ends_on"] and values["granted_on"] and values["ends_on"] < values["granted_on"]:
        raise ValidationError({"ends_on": _("It cannot end before it was granted.")})
    if values["proceeding"] is not None and values["proceeding"].case_id != case.pk:
        raise ValidationError({"proceeding": _("The proceeding must belong to this case.")})
    for key, value in values.items():
        setattr(record, key, value)
    record.seal("note", note)
    record.save()
    case_event(request, actor, "create" if measure is None else "update", case, "legal",
           reason=f"measure {record.kind}")
    return record
