"""Every write to the directory and to referrals: one transaction, the checks, the audit event.

The consent gate lives here, so the pages, the API and the importer share it: an outgoing
referral that shares personal data needs the case's consent for sharing in force, or a
coordinator's override with a written reason (audited as `override`).
"""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from amparo.accounts.models import User
from amparo.accounts.permissions import can
from amparo.audit.services import event_record
from amparo.cases.access import case_allows
from amparo.cases.choices import ConsentScope
from amparo.cases.extensions import cases_changed
from amparo.cases.guards import case_event, check_editable, check_not_future
from amparo.cases.models import Case
from amparo.cases.selectors import consent_state
from amparo.core.text import fold
from amparo.core.versioning import bump, locked
from amparo.reference.models import Department, District, Province
from amparo.referrals import choices
from amparo.referrals.models import Institution, Referral

INSTITUTION_FIELDS = ["name", "acronym", "kind", "sector", "ubigeo", "address", "phone", "email",
                      "website", "hours", "provides", "notes", "active"]


def reminder_days() -> int:
    return settings.AMPARO_REFERRAL_ANSWER_DAYS


def _place_exists(code: str) -> bool:
    model = {2: Department, 4: Province, 6: District}.get(len(code or ""))
    return model is not None and model.objects.filter(pk=code).exists()


@transaction.atomic
def institution_save(*, actor: User, request=None, data: dict,
                     institution: Institution | None = None) -> Institution:
    if not can(actor, "institution.manage"):
        raise PermissionDenied
    record = institution or Institution()
    values = {k: data.get(k, getattr(record, k)) for k in INSTITUTION_FIELDS}
    values["name"] = (values["name"] or "").strip()
    if not values["name"]:
        raise ValidationError({"name": _("Write the institution's name.")})
    if values["kind"] not in choices.InstitutionKind.values:
        raise ValidationError({"kind": _("Choose the type of institution.")})
    if values["sector"] not in choices.Sector.values:
        raise ValidationError({"sector": _("Choose the sector.")})
    if not _place_exists(values["ubigeo"]):
        raise ValidationError({"ubigeo": _("Choose where it is, at least the department.")})
    if set(values["provides"]) - set(choices.Purpose.values):
        raise ValidationError({"provides": _("Choose what it provides from the list.")})
    for key, value in values.items():
        setattr(record, key, value)
    record.search_text = fold(" ".join([record.name, record.acronym, record.address]))[:300]
    record.save()
    event_record(action="create" if institution is None else "update", request=request,
                 actor=actor, object_type="institution", object_id=str(record.pk))
    return record


OVERRIDE_MIN = 20  # characters of the written reason for an override


def sharing_allowed(actor: User, case: Case, override_reason: str, *, missing: dict,
                    unauthorised: str, too_short: str):
    """The consent gate: the case's consent for sharing in force, or a coordinator's override
    with a written reason. Returns (consent, reason); refuses with the caller's words for what
    would be shared (`missing` is the error when there is neither consent nor a reason)."""
    consent = consent_state(case)[ConsentScope.SHARING]
    if consent is not None and consent.given:
        return consent, ""
    reason = override_reason.strip()
    if not reason:
        raise ValidationError(missing)
    if not case_allows(actor, case, "referral.consent_override"):
        raise ValidationError({"override_reason": unauthorised})
    if len(reason) < OVERRIDE_MIN:
        raise ValidationError({"override_reason": too_short})
    return None, reason


def _sharing_allowed(actor: User, case: Case, override_reason: str):
    """The gate for a referral that shares personal data."""
    return sharing_allowed(actor, case, override_reason, missing={"shared": _(
        "This referral shares personal data, and the case has no consent for sharing with "
        "institutions in force. Record her consent (or her guardian's) in the Consent tab, "
        "share only the case code, or ask a coordinator to authorise it with a written "
        "reason.")}, unauthorised=_(
        "Only a coordinator of the case's office can authorise sharing without consent."),
        too_short=_("Explain in a sentence or two why she cannot consent and why sharing is "
                    "needed now."))


@transaction.atomic
def referral_send(*, actor: User, request=None, case: Case, institution: Institution,
                  purpose: str, referred_on: date, shared: list[str], reference: str = "",
                  note: str = "", override_reason: str = "") -> Referral:
    check_editable(actor, case)
    if purpose not in choices.Purpose.values:
        raise ValidationError({"purpose": _("Say what she is referred for.")})
    if not institution.active:
        raise ValidationError({"institution": _(
            "This institution is marked as no longer in service; choose another one.")})
    check_not_future(referred_on, "referred_on")
    shared = sorted(set(shared))
    if not shared:
        raise ValidationError({"shared": _("Say what was shared (at least the case code).")})
    if set(shared) - set(choices.Shared.values):
        raise ValidationError({"shared": _("Choose what was shared from the list.")})
    if choices.Shared.CODE_ONLY in shared and len(shared) > 1:
        raise ValidationError({"shared": _(
            "'Only the case code' cannot go with other data; untick one of them.")})
    consent, reason = None, ""
    if set(shared) & choices.PERSONAL:
        consent, reason = _sharing_allowed(actor, case, override_reason)
    record = Referral(
        case=case, data_key=case.data_key, direction=choices.Direction.OUTGOING,
        institution=institution, purpose=purpose, referred_on=referred_on,
        reference=reference.strip(), shared=shared, status=choices.Status.SENT,
        status_on=referred_on, answer_due_on=referred_on + timedelta(days=reminder_days()),
        consent=consent, override_by=actor if reason else None, referred_by=actor)
    record.seal("note", note.strip())
    record.seal("override_reason", reason)
    record.save()
    case_event(request, actor, "create", case, "referrals", reason=f"referral to {institution.pk}")
    if reason:
        # That it happened and where the sealed reason is; never the reason itself.
        event_record(action="override", request=request, actor=actor, object_type="case",
                     object_id=case.code, section="referrals", office=case.office,
                     reason=f"consent for sharing missing; reason sealed in referral "
                            f"{record.pk}")
    cases_changed([case.pk])  # its alerts follow, once committed
    return record


def intake_part_save(cleaned: dict, *, case: Case, actor: User, request=None) -> None:
    """The intake's "if an institution referred her" fieldset, saved with the new case (the
    intake's transaction makes it both or neither); nothing when no institution was chosen."""
    if cleaned.get("referred_institution"):
        referral_receive(actor=actor, request=request, case=case,
                         institution=cleaned["referred_institution"],
                         received_on=cleaned.get("referred_on") or case.intake_date,
                         reference=cleaned.get("referred_reference") or "")


def referral_receive(*, actor: User, request=None, case: Case, institution: Institution,
                     received_on: date, purpose: str = choices.Purpose.OTHER,
                     reference: str = "", note: str = "") -> Referral:
    """An incoming referral (a prosecutor or a shelter sent her to us), attached at intake."""
    check_not_future(received_on, "received_on")
    if purpose not in choices.Purpose.values:
        raise ValidationError({"purpose": _("Say what she was referred for.")})
    record = Referral(
        case=case, data_key=case.data_key, direction=choices.Direction.INCOMING,
        institution=institution, purpose=purpose, referred_on=received_on,
        reference=reference.strip(), shared=[], status=choices.Status.ACCEPTED,
        status_on=received_on, referred_by=actor)
    record.seal("note", note.strip())
    record.save()
    case_event(request, actor, "create", case, "referrals",
               reason=f"incoming from {institution.pk}")
    return record


@transaction.atomic
def referral_update(*, actor: User, request=None, case: Case, referral: Referral, version: int,
                    status: str, status_on: date, answer: str = "", outcome: str = "") -> Referral:
    """Record the institution's answer or the referral's outcome. The status moves only along
    `choices.TRANSITIONS`."""
    check_editable(actor, case)
    record = locked(Referral, referral.pk, version, ["status", "status_on", "outcome"])
    if record.case_id != case.pk:
        raise PermissionDenied
    record.data_key = case.data_key
    if status not in choices.Status.values:
        raise ValidationError({"status": _("Choose the referral's status.")})
    if status != record.status:
        allowed = choices.TRANSITIONS[choices.Status(record.status)]
        if status not in allowed:
            label = lambda code: str(choices.Status(code).label).lower()  # noqa: E731
            raise ValidationError({"status": _(
                "A referral that is %(now)s cannot become %(new)s. It can become: %(allowed)s.")
                % {"now": label(record.status), "new": label(status),
                   "allowed": ", ".join(label(s) for s in sorted(allowed))
                   or _("nothing (it is closed)")}})
    check_not_future(status_on, "status_on")
    if status_on < record.referred_on:
        raise ValidationError({"status_on": _("The date is before the referral was made.")})
    if outcome and outcome not in choices.Outcome.values:
        raise ValidationError({"outcome": _("Choose the outcome from the list.")})
    ended = status in (choices.Status.ATTENDED, choices.Status.CLOSED)
    if ended and not outcome and not record.outcome:
        raise ValidationError({"outcome": _("Say what came of it before closing the referral.")})
    record.status, record.status_on = status, status_on
    if outcome:
        record.outcome = outcome
    if answer.strip():
        previous = record.unseal("answer")
        stamp = f"[{status_on.isoformat()}] {answer.strip()}"
        record.seal("answer", f"{previous}\n{stamp}".strip())
    bump(record)
    record.save()
    case_event(request, actor, "update", case, "referrals",
               reason=f"referral {record.pk} → {status}")
    cases_changed([case.pk])  # its alerts follow, once committed
    return record


def referrals_remind(*, today: date | None = None, send=None) -> int:
    """E-mail each referrer once about referrals still unanswered past their date. The message
    carries case codes and links only, never a name. Returns how many referrals were reminded."""
    from amparo.referrals.notify import reminders_send

    today = today or timezone.localdate()
    due = (Referral.objects.filter(status__in=choices.AWAITING, answer_due_on__lt=today,
                                   reminded_at__isnull=True, case__closed_on__isnull=True)
           .select_related("case", "institution", "referred_by"))
    sent = reminders_send(list(due), send=send)
    Referral.objects.filter(pk__in=[r.pk for r in sent]).update(reminded_at=timezone.now())
    return len(sent)
