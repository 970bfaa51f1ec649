"""Registering a person and her case, editing identity and case data, the workflow."""

from __future__ import annotations

import secrets
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from amparo.accounts.models import Office, User
from amparo.accounts.permissions import can
from amparo.cases import choices, extensions, validation
from amparo.cases.access import case_allows
from amparo.cases.extensions import IntakePart, cases_changed
from amparo.cases.guards import case_event
from amparo.cases.models import (
    ADULT_AGE,
    Case,
    CaseCounter,
    Identity,
    Person,
    StatusChange,
    age_on,
)
from amparo.core.counters import counter_take
from amparo.core.text import document_key, fold
from amparo.core.versioning import bump, locked
from amparo.crypto.envelope import context_for, data_key_create, seal_text

CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford: no I, L, O, U
IDENTITY_FIELDS = [
    "given_names", "paternal_surname", "maternal_surname", "social_name", "sex",
    "gender_identity", "birth_date", "estimated_age", "nationality", "document_type",
    "document_number", "indigenous_people", "mother_tongue", "disabilities", "origin_ubigeo",
    "origin_country",
]
CASE_FIELDS = ["intake_date", "arrival", "victim_status", "priority", "guardian_type"]

def person_code() -> str:
    return "P" + "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))


def case_code_next(office: Office, year: int) -> str:
    """Office, year, sequence: LIM-2026-0153. The counter row is updated in place, so two
    intakes at the same moment never get the same number."""
    last = counter_take(CaseCounter, office=office, year=year)
    return f"{office.case_prefix}-{year}-{last:04d}"


def identity_clean(data: dict, *, intake: date, previous: Identity | None = None,
                   known: dict | None = None, unknown_age_ok: bool = False) -> dict:
    """The identity as stored, or a ValidationError naming each field that is wrong. The
    importer passes the vocabularies it already read (`known`) to check many rows at once,
    and lets an old record come in without any age (`unknown_age_ok`: a gap the team sees and
    fills); an identity that already has that gap keeps it until someone knows."""
    data = {k: data.get(k, getattr(previous, k, None) if previous else None)
            for k in IDENTITY_FIELDS}
    for key in IDENTITY_FIELDS:
        if data[key] is None and key not in ("birth_date", "estimated_age"):
            data[key] = [] if key == "disabilities" else ""
    bad_disability = set(data["disabilities"]) - set(choices.Disability.values)
    if bad_disability:
        raise ValidationError({"disabilities": _("Choose the disabilities from the list.")})
    validation.vocabulary_check(
        data, validation.IDENTITY_VOCABULARIES,
        allowed=({k: getattr(previous, k) for k in validation.IDENTITY_VOCABULARIES}
                 if previous else None),
        known=known,
    )
    data["document_number"] = validation.document_check(data["document_type"],
                                                        data["document_number"])
    age_gap = (unknown_age_ok or (previous is not None and previous.birth_date is None
                                  and previous.estimated_age is None))
    if not (age_gap and data["birth_date"] is None and data["estimated_age"] is None):
        validation.age_check(data["birth_date"], data["estimated_age"], intake)
    validation.ubigeo_or_country(data["origin_ubigeo"], data["origin_country"], "origin_country")
    if not any(data[k] for k in ("given_names", "paternal_surname", "social_name")):
        raise ValidationError({"given_names": _(
            "Write at least a given name, a surname or the name she uses.")})
    return data


def identity_apply(identity: Identity, data: dict, contacts: str | None, address: str | None):
    for key, value in data.items():
        setattr(identity, key, value)
    identity.search_name = fold(" ".join(
        [identity.given_names, identity.paternal_surname, identity.maternal_surname,
         identity.social_name]))
    identity.search_document = document_key(identity.document_number)
    if contacts is not None:
        identity.seal("contacts", contacts.strip())
    if address is not None:
        identity.seal("address", address.strip())


def minor_at(identity_data: dict, intake: date) -> tuple[int | None, bool]:
    age = age_on(identity_data["birth_date"], identity_data["estimated_age"], intake)
    return age, age is not None and age < ADULT_AGE


@transaction.atomic
def case_intake(
    *, actor: User, request=None, office: Office, identity: dict, contacts: str = "",
    address: str = "", case: dict, guardian: str = "", worker: User | None = None,
    person: Person | None = None, parts: list[tuple[IntakePart, dict]] = (),
) -> Case:
    """Register a survivor (or a new case of someone already registered) in the office. `parts`:
    what other apps add to the intake (an incoming referral), saved with the case: all or
    nothing. Once committed, she is matched against the reports and the other people."""
    if not can(actor, "case.create", office.pk):
        raise PermissionDenied
    intake_date = case.get("intake_date") or timezone.localdate()
    if intake_date > timezone.localdate():
        raise ValidationError({"intake_date": _("The intake date cannot be in the future.")})
    validation.vocabulary_check(case, validation.CASE_VOCABULARIES)
    if case.get("arrival") not in choices.Arrival.values:
        raise ValidationError({"arrival": _("Choose how she arrived.")})
    identity_data = identity_clean(identity, intake=intake_date,
                                    previous=person.identity if person else None)
    age, minor = minor_at(identity_data, intake_date)
    if minor and not case.get("guardian_type"):
        raise ValidationError({"guardian_type": _(
            "She is a minor: record her guardian or the UPE or CAR responsible for her.")})
    if person is None:
        person = Person.objects.create(code=person_code(), data_key=data_key_create())
        record = Identity(person=person, data_key=person.data_key)
    else:
        record = locked(Identity, person.identity.pk, None, [])
        bump(record)
    identity_apply(record, identity_data, contacts, address)
    record.save()
    new = Case.objects.create(
        code=case_code_next(office, intake_date.year),
        person=person,
        data_key=data_key_create(),
        office=office,
        intake_date=intake_date,
        arrival=case["arrival"],
        victim_status=case.get("victim_status") or "presunta",
        priority=case.get("priority") or choices.Priority.MEDIUM,
        worker=worker or actor,
        age_at_intake=age,
        is_minor=minor,
        guardian_type=case.get("guardian_type", "") if minor else "",
        created_by=actor,
    )
    if minor and guardian:
        new.guardian_sealed = seal_text(new.data_key, guardian.strip(),
                                        context_for(new, "guardian"))
        new.save(update_fields=["guardian_sealed"])
    StatusChange.objects.create(case=new, data_key=new.data_key, to_status=new.status,
                                changed_by=actor)
    case_event(request, actor, "create", new, "summary")
    for part, cleaned in parts:
        part.save(cleaned, case=new, actor=actor, request=request)
    extensions.people_changed([person.pk])
    cases_changed([new.pk])  # its alerts follow, once committed
    return new


@transaction.atomic
def identity_update(*, actor: User, request=None, case: Case, version: int, identity: dict,
                    contacts: str | None = None, address: str | None = None) -> Identity:
    if not case_allows(actor, case, "case.edit") or not case_allows(actor, case, "identity.view"):
        raise PermissionDenied
    current = case.person.identity
    record = locked(Identity, current.pk, version,
                    IDENTITY_FIELDS + ["contacts_sealed", "address_sealed"])
    data = identity_clean(identity, intake=case.intake_date, previous=record)
    identity_apply(record, data, contacts, address)
    bump(record)
    record.save()
    case_event(request, actor, "update", case, "identity")
    extensions.people_changed([case.person_id])
    cases_changed([case.pk])  # its alerts follow, once committed
    return record


@transaction.atomic
def case_update(*, actor: User, request=None, case: Case, version: int, data: dict,
                guardian: str | None = None) -> Case:
    if not case_allows(actor, case, "case.edit"):
        raise PermissionDenied
    record = locked(Case, case.pk, version, CASE_FIELDS)
    validation.vocabulary_check(data, validation.CASE_VOCABULARIES,
                                allowed={"victim_status": record.victim_status})
    for key in CASE_FIELDS:
        if key in data:
            setattr(record, key, data[key])
    if record.intake_date > timezone.localdate():
        raise ValidationError({"intake_date": _("The intake date cannot be in the future.")})
    if record.is_minor and not record.guardian_type:
        raise ValidationError({"guardian_type": _(
            "She is a minor: record her guardian or the UPE or CAR responsible for her.")})
    if guardian is not None:
        record.guardian_sealed = seal_text(record.data_key, guardian.strip(),
                                           context_for(record, "guardian"))
    bump(record)
    record.save()
    case_event(request, actor, "update", record, "summary")
    cases_changed([case.pk])  # its alerts follow, once committed
    return record


@transaction.atomic
def case_assign(*, actor: User, request=None, case: Case, version: int, worker: User,
                psychologist: User | None, lawyer: User | None) -> Case:
    """The coordinator names the responsible worker and the team; each must hold that role in
    the case's office."""
    if not case_allows(actor, case, "case.assign"):
        raise PermissionDenied
    record = locked(Case, case.pk, version, ["worker", "psychologist", "lawyer"])
    errors = {}
    for field, member, role in (("worker", worker, None),
                                ("psychologist", psychologist, "psychologist"),
                                ("lawyer", lawyer, "lawyer")):
        if member is None:
            continue
        roles = set(member.role_assignments.filter(office=record.office_id).values_list("role",
                                                                                        flat=True))
        if not member.is_active or not roles or (role and role not in roles):
            errors[field] = _("%(name)s does not hold that role in this office.") % {
                "name": member.display_name}
    if errors:
        raise ValidationError(errors)
    record.worker, record.psychologist, record.lawyer = worker, psychologist, lawyer
    bump(record)
    record.save()
    case_event(request, actor, "update", record, "summary", reason="team assigned")
    return record


@transaction.atomic
def case_status_change(*, actor: User, request=None, case: Case, version: int, to_status: str,
                       reason: str = "") -> Case:
    """One step forward, or one step back with a reason. Closing and reopening have their own
    services."""
    if not case_allows(actor, case, "case.edit"):
        raise PermissionDenied
    record = locked(Case, case.pk, version, ["status"])
    steps = [s.value for s in choices.WORKFLOW]
    if record.status not in steps or to_status not in steps:
        raise ValidationError(_("A closed case must be reopened first."))
    move = steps.index(to_status) - steps.index(record.status)
    if move not in (1, -1):
        raise ValidationError(_("A case moves one step at a time."))
    if move == -1 and not reason.strip():
        raise ValidationError({"reason": _("Say why the case goes back a step.")})
    StatusChange.objects.create(case=record, data_key=record.data_key,
                                from_status=record.status, to_status=to_status,
                                reason=reason.strip(), changed_by=actor)
    record.status = to_status
    bump(record)
    record.save()
    case_event(request, actor, "update", record, "summary", reason=f"status {to_status}")
    cases_changed([case.pk])  # its alerts follow, once committed
    return record


@transaction.atomic
def case_close(*, actor: User, request=None, case: Case, version: int, reason: str,
               outcomes: list[str], note: str = "", closed_on: date | None = None) -> Case:
    if not case_allows(actor, case, "case.close"):
        raise PermissionDenied
    record = locked(Case, case.pk, version, ["status"])
    if record.is_closed:
        raise ValidationError(_("This case is already closed."))
    if reason not in choices.ClosureReason.values:
        raise ValidationError({"reason": _("Choose the reason for closing.")})
    if set(outcomes) - set(choices.Outcome.values):
        raise ValidationError({"outcomes": _("Choose the outcomes from the list.")})
    StatusChange.objects.create(case=record, data_key=record.data_key,
                                from_status=record.status,
                                to_status=choices.Status.CERRADO, reason=note.strip(),
                                changed_by=actor)
    record.status = choices.Status.CERRADO
    record.closure_reason, record.closure_outcomes = reason, sorted(set(outcomes))
    record.closed_on = closed_on or timezone.localdate()
    bump(record)
    record.save()
    case_event(request, actor, "update", record, "summary", reason=f"closed: {reason}")
    cases_changed([case.pk])  # its alerts follow, once committed
    return record


@transaction.atomic
def case_reopen(*, actor: User, request=None, case: Case, version: int, reason: str) -> Case:
    if not case_allows(actor, case, "case.close"):
        raise PermissionDenied
    record = locked(Case, case.pk, version, ["status"])
    if not record.is_closed:
        raise ValidationError(_("Only a closed case can be reopened."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the case is reopened.")})
    StatusChange.objects.create(case=record, data_key=record.data_key,
                                from_status=record.status,
                                to_status=choices.Status.SEGUIMIENTO, reason=reason.strip(),
                                changed_by=actor)
    record.status = choices.Status.SEGUIMIENTO
    record.closure_reason, record.closure_outcomes, record.closed_on = "", [], None
    bump(record)
    record.save()
    case_event(request, actor, "update", record, "summary", reason="reopened")
    cases_changed([case.pk])  # its alerts follow, once committed
    return record
