"""Participants recognised once: found or made from what a list says, and the pairs a person
decides are the same."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from amparo.accounts.models import User
from amparo.accounts.permissions import can
from amparo.audit.services import section_event
from amparo.core.text import document_key, fold
from amparo.crypto.envelope import data_key_create
from amparo.prevention import choices
from amparo.prevention.models import (
    Participant,
    ParticipantPair,
)
from amparo.prevention.selectors import participant_key, participant_match
from amparo.prevention.services.common import CODE_ALPHABET

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
    section_event(request, "prevention", "participant", pair.left.code,
                  f"{'same as' if same else 'different from'} {pair.right.code}", action="update",
                  actor=actor)


def _root(participant: Participant) -> Participant:
    return participant.merged_into or participant
