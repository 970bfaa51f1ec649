"""Evidence of how the State carries out each service in a year, and its sources."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from amparo.accounts.models import User
from amparo.accounts.permissions import must
from amparo.audit.services import section_event
from amparo.policy import choices
from amparo.policy.models import (
    Edition,
    Evidence,
    InformationRequest,
    Service,
    Source,
)
from amparo.policy.services.common import EVIDENCE_FIELDS
from amparo.reference.models import Department

# ---- evidence -----------------------------------------------------------------------------------

def _money(value, field: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value).replace(",", ""))
    except ArithmeticError:
        raise ValidationError({field: _("Write an amount in soles, such as 125000.50.")}) from None
    if amount < 0:
        raise ValidationError({field: _("An amount cannot be negative.")})
    return amount


@transaction.atomic
def evidence_save(*, actor: User, request=None, edition: Edition, service: Service, year: int,
                  department: str = "", data: dict) -> Evidence:
    """What the team found about a service in a year and a region (empty: national). One
    record per service, year and region in an edition: saving again updates it."""
    must(actor, "policy.manage")
    if service.instrument_id != edition.instrument_id:
        raise ValidationError({"service": _("This service belongs to another policy than the "
                                            "edition's.")})
    if year not in edition.years:
        raise ValidationError({"year": _("The edition covers %(first)s to %(last)s; choose a "
                                         "year in that period.")
                               % {"first": edition.first_year, "last": edition.last_year}})
    if department and not Department.objects.filter(code=department).exists():
        raise ValidationError({"department": _("Choose the department from the list.")})
    values = {k: data.get(k) for k in EVIDENCE_FIELDS}
    values["budget_assigned"] = _money(values["budget_assigned"], "budget_assigned")
    values["budget_executed"] = _money(values["budget_executed"], "budget_executed")
    if (values["budget_executed"] is not None and values["budget_assigned"] is not None
            and values["budget_executed"] > values["budget_assigned"] * 2):
        raise ValidationError({"budget_executed": _(
            "The execution is more than twice the assignment; check the figures (PEN, not "
            "thousands).")})
    values["implementation"] = values["implementation"] or choices.Implementation.NO_INFORMATION
    if values["implementation"] not in choices.Implementation.values:
        raise ValidationError({"implementation": _("Choose the implementation from the list.")})
    scale = {level["code"] for level in edition.scale}
    values["assessment"] = values["assessment"] or ""
    if values["assessment"] and values["assessment"] not in scale:
        raise ValidationError({"assessment": _("Choose a level of the edition's scale.")})
    for key in ("delivered", "notes"):
        values[key] = (values[key] or "").strip()
    record, created = Evidence.objects.select_for_update().get_or_create(
        edition=edition, service=service, year=year, department=department,
        defaults={**values, "updated_by": actor})
    if not created:
        for key, value in values.items():
            setattr(record, key, value)
        record.updated_by = actor
        record.save()
    section_event(request, "policy", "policy_evidence", record.pk,
                  f"{edition.code} {service.code} {year} {department or 'nacional'}",
                  action="create" if created else "update", actor=actor)
    return record


@transaction.atomic
def source_add(*, actor: User, request=None, evidence: Evidence, kind: str, reference: str,
               dated: date, information_request: InformationRequest | None = None) -> Source:
    must(actor, "policy.manage")
    if kind not in choices.SourceKind.values:
        raise ValidationError({"kind": _("Choose the kind of source.")})
    if not (reference or "").strip():
        raise ValidationError({"reference": _(
            "Say where it comes from: the query, the reply's number, the norm.")})
    if dated > timezone.localdate():
        raise ValidationError({"dated": _("A source cannot be dated in the future.")})
    source = Source.objects.create(evidence=evidence, kind=kind, reference=reference.strip(),
                                   dated=dated, request=information_request)
    section_event(request, "policy", "policy_evidence", evidence.pk, f"source {kind}",
                  action="create", actor=actor)
    return source
