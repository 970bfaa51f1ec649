"""Information requests under Ley 27806: filed, their legal deadline in working days, reminders,
answers and their documents (sealed)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from amparo.accounts.models import User
from amparo.accounts.permissions import can, must
from amparo.audit.services import section_event
from amparo.core import documents
from amparo.core.counters import counter_take
from amparo.core.dates import working_days_after
from amparo.core.versioning import bump, locked
from amparo.crypto.envelope import data_key_create
from amparo.policy import choices
from amparo.policy.models import (
    AnswerDocument,
    Edition,
    InformationRequest,
    Reminder,
    RequestCounter,
)
from amparo.policy.services.common import ANSWER_DAYS

# ---- information requests (Ley 27806) -----------------------------------------------------------

def request_due(sent_on: date) -> date:
    """The legal deadline: ten working days after the request is filed (holidays excluded)."""
    return working_days_after(sent_on, ANSWER_DAYS)


def _request_code(year: int) -> str:
    return f"SAI-{year}-{counter_take(RequestCounter, year=year):04d}"


@transaction.atomic
def request_create(*, actor: User, request=None, edition: Edition, data: dict,
                   services=()) -> InformationRequest:
    must(actor, "policy.manage")
    sent_on = data.get("sent_on")
    if not isinstance(sent_on, date):
        raise ValidationError({"sent_on": _("Write the date it was filed (dd/mm/yyyy).")})
    if sent_on > timezone.localdate():
        raise ValidationError({"sent_on": _("A request cannot be filed in the future.")})
    if data.get("entity") is None:
        raise ValidationError({"entity": _("Choose the entity it was sent to.")})
    if not (data.get("subject") or "").strip():
        raise ValidationError({"subject": _("Write what was asked.")})
    record = InformationRequest.objects.create(
        code=_request_code(sent_on.year), edition=edition, entity=data["entity"],
        subject=data["subject"].strip(), sent_on=sent_on,
        reference=(data.get("reference") or "").strip(),
        with_ombudsman=bool(data.get("with_ombudsman")), due_on=request_due(sent_on),
        created_by=actor)
    record.services.set(services)
    section_event(request, "policy", "policy_request", record.code, action="create", actor=actor)
    return record


@transaction.atomic
def request_update(*, actor: User, request=None, record: InformationRequest, data: dict,
                   version: int | None = None) -> InformationRequest:
    """An extension the entity announced, or its answer (date, complete, partial or denied, what
    it said). Dates are checked against the filing."""
    must(actor, "policy.manage")
    fields = ["extended_to", "answered_on", "completeness", "answer_summary"]
    current = locked(InformationRequest, record.pk, version, fields)
    values = {k: data.get(k, getattr(current, k)) for k in fields}
    values["completeness"] = values["completeness"] or ""
    values["answer_summary"] = (values["answer_summary"] or "").strip()
    if values["extended_to"] and values["extended_to"] <= current.due_on:
        raise ValidationError({"extended_to": _(
            "An extension goes beyond the legal deadline (%(due)s); leave it empty otherwise.")
            % {"due": current.due_on.strftime("%d/%m/%Y")}})
    answered = values["answered_on"]
    if answered and answered < current.sent_on:
        raise ValidationError({"answered_on": _("It cannot be answered before it was filed.")})
    if answered and answered > timezone.localdate():
        raise ValidationError({"answered_on": _("An answer cannot be dated in the future.")})
    if answered and not values["completeness"]:
        raise ValidationError({"completeness": _(
            "Say whether the answer was complete, partial or a denial.")})
    if values["completeness"] and not answered:
        raise ValidationError({"answered_on": _("Write the date of the answer.")})
    if values["completeness"] and values["completeness"] not in choices.Completeness.values:
        raise ValidationError({"completeness": _("Choose from the list.")})
    for key, value in values.items():
        setattr(current, key, value)
    bump(current)
    current.save()
    section_event(request, "policy", "policy_request", current.code,
                  "answer" if answered else "extension", action="update", actor=actor)
    return current


@transaction.atomic
def reminder_add(*, actor: User, request=None, record: InformationRequest, sent_on: date,
                 note: str = "") -> Reminder:
    must(actor, "policy.manage")
    if sent_on < record.sent_on or sent_on > timezone.localdate():
        raise ValidationError({"sent_on": _(
            "A reminder goes between the filing and today.")})
    reminder = Reminder.objects.create(request=record, sent_on=sent_on, note=note.strip(),
                                       created_by=actor)
    section_event(request, "policy", "policy_request", record.code, "reminder", action="update",
                  actor=actor)
    return reminder


@transaction.atomic
def answer_document_add(*, actor: User, request=None, record: InformationRequest, title: str,
                        content: bytes, sealed: bool) -> AnswerDocument:
    """A document of the answer, its type read from the content. Sealed when the team chooses
    (it names officials or people); plain otherwise."""
    must(actor, "policy.manage")
    found = documents.accepted(content)
    document = AnswerDocument(request=record, data_key=data_key_create(),
                              title=title.strip() or found.extension.upper(),
                              content_type=found.content_type, extension=found.extension,
                              size=len(content), sealed=sealed, uploaded_by=actor)
    if sealed:
        documents.sealed_store(document, content, f"policy/{record.code}")
    else:
        document.storage_name = default_storage.save(
            f"policy/{record.code}/{document.pk}.{found.extension}", ContentFile(content))
    document.save()
    section_event(request, "policy", "policy_request", record.code,
                  f"document {document.pk}{' sealed' if sealed else ''}", action="create",
                  actor=actor)
    return document


def answer_document_open(*, actor: User, request=None, document: AnswerDocument) -> bytes:
    if not can(actor, "policy.view"):
        raise PermissionDenied
    section_event(request, "policy", "policy_request", document.request.code,
                  f"document {document.pk}", action="view", actor=actor)
    if document.sealed:
        return documents.sealed_read(document)
    with default_storage.open(document.storage_name, "rb") as handle:
        return handle.read()
