"""The policy's structure: loaded from its data file (and from the command line, audited), then
completed by the team, services, guidelines and indicators, every change kept."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import yaml
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from amparo.accounts.models import User
from amparo.accounts.permissions import must
from amparo.audit.services import event_record, section_event
from amparo.core.versioning import bump, locked
from amparo.policy import choices
from amparo.policy.models import (
    Guideline,
    Indicator,
    Instrument,
    Objective,
    Service,
)
from amparo.policy.services.common import DATA, SERVICE_FIELDS

# ---- the structure ------------------------------------------------------------------------------

@dataclass
class Loaded:
    instrument: Instrument
    created: int = 0  # records the file added
    kept: int = 0  # records already there, left as the team has them


@transaction.atomic
def structure_load(path: Path | str, *, actor: User | None = None, request=None) -> Loaded:
    """The policy's structure from its data file. What exists is never overwritten: the team may
    have completed or corrected it (its history says how); the file only adds what is missing,
    so loading it again is harmless. Audited, from the page (`actor`) as from the command line
    (`(command)`)."""
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    head = data["instrument"]
    instrument, made = Instrument.objects.get_or_create(code=head["code"], defaults={
        k: head[k] for k in ("name", "norm", "starts", "ends")})
    result = Loaded(instrument, created=int(made), kept=int(not made))
    guidelines: dict[str, Guideline] = {}
    objectives: dict[str, Objective] = {}
    for order, entry in enumerate(data.get("objectives") or [], 1):
        objective, made = Objective.objects.get_or_create(
            instrument=instrument, code=entry["code"], defaults={
                "text": entry["text"], "lead": entry.get("lead", ""), "axis": entry["axis"],
                "order": order})
        _count(result, made)
        objectives[objective.code] = objective
        for line in entry.get("guidelines") or []:
            guideline, made = Guideline.objects.get_or_create(
                objective=objective, code=str(line["code"]), defaults={
                    "text": line["text"], "known": line.get("known", True)})
            _count(result, made)
            guidelines[guideline.code] = guideline
    for entry in data.get("services") or []:
        guideline = guidelines.get(str(entry.get("guideline") or ""))
        axis = entry.get("axis") or (guideline.objective.axis if guideline else "")
        _service, made = Service.objects.get_or_create(
            instrument=instrument, number=entry["number"], defaults={
                "guideline": guideline, "name": entry["name"],
                "receptor": entry.get("receptor", ""), "condition": entry.get("condition", ""),
                "provider": entry.get("provider", ""), "standards": entry.get("standards", ""),
                "axis": axis, "known": entry.get("known", True)})
        _count(result, made)
    for entry in data.get("indicators") or []:
        objective = objectives[entry["objective"]]
        _indicator, made = Indicator.objects.get_or_create(
            objective=objective, name=entry["name"], defaults={
                "unit": entry.get("unit", ""), "targets": entry.get("targets") or {},
                "baseline_year": entry.get("baseline_year"), "baseline": entry.get("baseline"),
                "known": entry.get("known", True)})
        _count(result, made)
    event_record(action="create", request=request, actor=actor,
                 actor_username=None if actor else "(command)", object_type="policy_structure",
                 object_id=instrument.code, section="policy",
                 reason=f"loaded from {Path(path).name}: {result.created} records added, "
                        f"{result.kept} kept")
    return result


def _count(result: Loaded, made: bool) -> None:
    if made:
        result.created += 1
    else:
        result.kept += 1


def structure_load_shipped(*, actor: User | None = None, request=None) -> list[Loaded]:
    """Both instruments that ship with Amparo (the PNAT first, so editions can compare)."""
    return [structure_load(DATA / name, actor=actor, request=request)
            for name in ("pnat-2017-2021.yaml", "pnftp-2030.yaml")]


@transaction.atomic
def service_save(*, actor: User, request=None, service: Service, data: dict,
                 version: int | None = None) -> Service:
    """A correction or completion of a service's texts; the earlier wording stays in its
    history, and an edit made on an older version is refused with what changed."""
    must(actor, "policy.manage")
    record = locked(Service, service.pk, version, SERVICE_FIELDS)
    values = {k: data.get(k, getattr(record, k)) for k in SERVICE_FIELDS}
    if not (values["name"] or "").strip():
        raise ValidationError({"name": _("Write the service's name as the policy does.")})
    if values["guideline"] is not None and (
            values["guideline"].objective.instrument_id != record.instrument_id):
        raise ValidationError({"guideline": _("Choose a guideline of the same policy.")})
    if values["condition"] not in choices.Condition.values:
        raise ValidationError({"condition": _("Choose new, improved or not known yet.")})
    if values["axis"] and values["axis"] not in choices.Axis.values:
        raise ValidationError({"axis": _("Choose the report's axis from the list.")})
    if Service.objects.filter(instrument=record.instrument, number=values["number"]).exclude(
            pk=record.pk).exists():
        raise ValidationError({"number": _("Another service of this policy has that number.")})
    for key, value in values.items():
        setattr(record, key, value.strip() if isinstance(value, str) else value)
    bump(record)
    record.save()
    section_event(request, "policy", "policy_service", record.code, action="update", actor=actor)
    return record


@transaction.atomic
def guideline_save(*, actor: User, request=None, guideline: Guideline, text: str,
                   known: bool) -> Guideline:
    """A guideline's text completed or corrected from the annex (the earlier text stays in its
    history)."""
    must(actor, "policy.manage")
    if not (text or "").strip():
        raise ValidationError({"text": _("Write the guideline's text as the policy does.")})
    guideline.text, guideline.known = text.strip(), bool(known)
    guideline.save(update_fields=["text", "known"])
    section_event(request, "policy", "policy_guideline", guideline.pk, guideline.code,
                  action="update", actor=actor)
    return guideline


def targets_parse(text: str) -> dict[str, str]:
    """Yearly targets written one per line, "year: value" ("2030: 70")."""
    targets = {}
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        year, _sep, value = line.partition(":")
        try:
            number = Decimal(value.strip().replace(",", "."))
            if not 2000 <= int(year.strip()) <= 2100:
                raise ValueError
        except (ArithmeticError, ValueError):
            raise ValidationError({"targets": _(
                "Write one target per line as “year: value”, for example “2030: 70”.")}) from None
        targets[year.strip()] = format(number.normalize(), "f")
    return dict(sorted(targets.items()))


@transaction.atomic
def indicator_save(*, actor: User, request=None, data: dict,
                   indicator: Indicator | None = None) -> Indicator:
    """An indicator of an objective (or of one of its services): its baseline and yearly
    targets, completed from the policy's indicator sheets."""
    must(actor, "policy.manage")
    record = indicator or Indicator()
    objective = data.get("objective") or getattr(record, "objective", None)
    if objective is None:
        raise ValidationError({"objective": _("Choose the objective it measures.")})
    service = data.get("service")
    if service is not None and service.instrument_id != objective.instrument_id:
        raise ValidationError({"service": _("Choose a service of the same policy.")})
    if not (data.get("name") or "").strip():
        raise ValidationError({"name": _("Write the indicator as the policy does.")})
    if data.get("baseline") is not None and not data.get("baseline_year"):
        raise ValidationError({"baseline_year": _("Say the year of the baseline.")})
    record.objective, record.service = objective, service
    record.name, record.unit = data["name"].strip(), (data.get("unit") or "").strip()
    record.baseline_year, record.baseline = data.get("baseline_year"), data.get("baseline")
    record.targets = data.get("targets") or {}
    record.known = bool(data.get("known"))
    created = record.pk is None
    record.save()
    section_event(request, "policy", "policy_indicator", record.pk,
                  action="create" if created else "update", actor=actor)
    return record
