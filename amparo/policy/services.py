"""Every write of the watchdog's records: the policy's structure (loaded from its data file, then
completed by the team with every change kept), evidence and its sources, information requests
with their legal deadline, regional instruments, editions and their chapters.

Each write checks `policy.manage` and leaves an audit event. A refusal says, in the user's
language, what is wrong and what to do."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

import yaml
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from amparo.accounts.models import User
from amparo.accounts.permissions import can
from amparo.audit.services import event_record
from amparo.core import documents
from amparo.core.counters import counter_take
from amparo.core.dates import working_days_after
from amparo.core.versioning import bump, locked
from amparo.crypto.envelope import data_key_create
from amparo.policy import choices
from amparo.policy.models import (
    AnswerDocument,
    ChapterText,
    Edition,
    Evidence,
    Guideline,
    Indicator,
    InformationRequest,
    Instrument,
    Objective,
    RegionalInstrument,
    Reminder,
    RequestCounter,
    Service,
    Source,
)
from amparo.reference.models import Department

DATA = Path(__file__).parent / "data"
ANSWER_DAYS = 10  # working days, TUO of Ley 27806 (DS 021-2019-JUS), art. 11 b
SERVICE_FIELDS = ["guideline", "number", "name", "receptor", "condition", "provider",
                  "standards", "axis", "known"]
EVIDENCE_FIELDS = ["budget_assigned", "budget_executed", "implementation", "delivered",
                   "delivered_count", "assessment", "notes"]
INSTRUMENT_FIELDS = ["department", "kind", "name", "norm", "starts", "ends", "has_objectives",
                     "budget_lines", "budget", "notes"]


def _allowed(actor: User) -> None:
    if not can(actor, "policy.manage"):
        raise PermissionDenied


def _event(request, actor, action: str, object_type: str, object_id, reason: str = "") -> None:
    event_record(action=action, request=request, actor=actor, object_type=object_type,
                 object_id=str(object_id), section="policy", reason=reason)


# ---- the structure ------------------------------------------------------------------------------

@dataclass
class Loaded:
    instrument: Instrument
    created: int = 0  # records the file added
    kept: int = 0  # records already there, left as the team has them


@transaction.atomic
def structure_load(path: Path | str) -> Loaded:
    """The policy's structure from its data file. What exists is never overwritten: the team may
    have completed or corrected it (its history says how); the file only adds what is missing,
    so loading it again is harmless."""
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
    return result


def _count(result: Loaded, made: bool) -> None:
    if made:
        result.created += 1
    else:
        result.kept += 1


def structure_load_shipped() -> list[Loaded]:
    """Both instruments that ship with Amparo (the PNAT first, so editions can compare)."""
    return [structure_load(DATA / name) for name in ("pnat-2017-2021.yaml", "pnftp-2030.yaml")]


@transaction.atomic
def service_save(*, actor: User, request=None, service: Service, data: dict,
                 version: int | None = None) -> Service:
    """A correction or completion of a service's texts; the earlier wording stays in its
    history, and an edit made on an older version is refused with what changed."""
    _allowed(actor)
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
    _event(request, actor, "update", "policy_service", record.code)
    return record


@transaction.atomic
def guideline_save(*, actor: User, request=None, guideline: Guideline, text: str,
                   known: bool) -> Guideline:
    """A guideline's text completed or corrected from the annex (the earlier text stays in its
    history)."""
    _allowed(actor)
    if not (text or "").strip():
        raise ValidationError({"text": _("Write the guideline's text as the policy does.")})
    guideline.text, guideline.known = text.strip(), bool(known)
    guideline.save(update_fields=["text", "known"])
    _event(request, actor, "update", "policy_guideline", guideline.pk, reason=guideline.code)
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
    _allowed(actor)
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
    _event(request, actor, "create" if created else "update", "policy_indicator", record.pk)
    return record


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
    _allowed(actor)
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
    _event(request, actor, "create" if created else "update", "policy_evidence", record.pk,
           reason=f"{edition.code} {service.code} {year} {department or 'nacional'}")
    return record


@transaction.atomic
def source_add(*, actor: User, request=None, evidence: Evidence, kind: str, reference: str,
               dated: date, information_request: InformationRequest | None = None) -> Source:
    _allowed(actor)
    if kind not in choices.SourceKind.values:
        raise ValidationError({"kind": _("Choose the kind of source.")})
    if not (reference or "").strip():
        raise ValidationError({"reference": _(
            "Say where it comes from: the query, the reply's number, the norm.")})
    if dated > timezone.localdate():
        raise ValidationError({"dated": _("A source cannot be dated in the future.")})
    source = Source.objects.create(evidence=evidence, kind=kind, reference=reference.strip(),
                                   dated=dated, request=information_request)
    _event(request, actor, "create", "policy_evidence", evidence.pk, reason=f"source {kind}")
    return source


# ---- information requests (Ley 27806) -----------------------------------------------------------

def request_due(sent_on: date) -> date:
    """The legal deadline: ten working days after the request is filed (holidays excluded)."""
    return working_days_after(sent_on, ANSWER_DAYS)


def _request_code(year: int) -> str:
    return f"SAI-{year}-{counter_take(RequestCounter, year=year):04d}"


@transaction.atomic
def request_create(*, actor: User, request=None, edition: Edition, data: dict,
                   services=()) -> InformationRequest:
    _allowed(actor)
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
    _event(request, actor, "create", "policy_request", record.code)
    return record


@transaction.atomic
def request_update(*, actor: User, request=None, record: InformationRequest, data: dict,
                   version: int | None = None) -> InformationRequest:
    """An extension the entity announced, or its answer (date, complete, partial or denied, what
    it said). Dates are checked against the filing."""
    _allowed(actor)
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
    _event(request, actor, "update", "policy_request", current.code,
           reason="answer" if answered else "extension")
    return current


@transaction.atomic
def reminder_add(*, actor: User, request=None, record: InformationRequest, sent_on: date,
                 note: str = "") -> Reminder:
    _allowed(actor)
    if sent_on < record.sent_on or sent_on > timezone.localdate():
        raise ValidationError({"sent_on": _(
            "A reminder goes between the filing and today.")})
    reminder = Reminder.objects.create(request=record, sent_on=sent_on, note=note.strip(),
                                       created_by=actor)
    _event(request, actor, "update", "policy_request", record.code, reason="reminder")
    return reminder


@transaction.atomic
def answer_document_add(*, actor: User, request=None, record: InformationRequest, title: str,
                        content: bytes, sealed: bool) -> AnswerDocument:
    """A document of the answer, its type read from the content. Sealed when the team chooses
    (it names officials or people); plain otherwise."""
    _allowed(actor)
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
    _event(request, actor, "create", "policy_request", record.code,
           reason=f"document {document.pk}{' sealed' if sealed else ''}")
    return document


def answer_document_open(*, actor: User, request=None, document: AnswerDocument) -> bytes:
    if not can(actor, "policy.view"):
        raise PermissionDenied
    _event(request, actor, "view", "policy_request", document.request.code,
           reason=f"document {document.pk}")
    if document.sealed:
        return documents.sealed_read(document)
    with default_storage.open(document.storage_name, "rb") as handle:
        return handle.read()


# ---- regional instruments, editions, chapters ----------------------------------------------------

@transaction.atomic
def instrument_save(*, actor: User, request=None, data: dict,
                    record: RegionalInstrument | None = None) -> RegionalInstrument:
    _allowed(actor)
    values = {k: data.get(k, getattr(record, k, None)) for k in INSTRUMENT_FIELDS}
    if not Department.objects.filter(code=values["department"] or "").exists():
        raise ValidationError({"department": _("Choose the department from the list.")})
    if values["kind"] not in choices.InstrumentKind.values:
        raise ValidationError({"kind": _("Choose the kind of instrument.")})
    if not (values["name"] or "").strip():
        raise ValidationError({"name": _("Write the instrument's name.")})
    if values["starts"] and values["ends"] and values["ends"] < values["starts"]:
        raise ValidationError({"ends": _("It cannot end before it starts.")})
    values["budget"] = _money(values["budget"], "budget")
    values["has_objectives"] = bool(values["has_objectives"])
    values["budget_lines"] = bool(values["budget_lines"] or values["budget"])  # an amount is one
    for key in ("name", "norm", "notes"):
        values[key] = (values[key] or "").strip()
    record = record or RegionalInstrument(updated_by=actor)
    created = record.pk is None
    for key, value in values.items():
        setattr(record, key, value)
    record.updated_by = actor
    record.save()
    _event(request, actor, "create" if created else "update", "policy_instrument", record.pk)
    return record


@transaction.atomic
def chapter_save(*, actor: User, request=None, edition: Edition, chapter: str,
                 text: str) -> ChapterText:
    _allowed(actor)
    if chapter not in choices.Chapter.values:
        raise ValidationError({"chapter": _("Choose a chapter of the report.")})
    record, _created = ChapterText.objects.update_or_create(
        edition=edition, chapter=chapter, defaults={"text": text.strip(), "updated_by": actor})
    _event(request, actor, "update", "policy_edition", edition.code, reason=f"chapter {chapter}")
    return record


def scale_parse(text: str) -> list[dict]:
    """An assessment scale written one level per line, "code: label" ("a: Avance adecuado").
    Empty: no scale, as in every edition so far."""
    levels, seen = [], set()
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        code, _sep, label = line.partition(":")
        code, label = code.strip(), label.strip()
        if not code or not label or len(code) > 20:
            raise ValidationError({"scale": _(
                "Write one level per line as “code: label”, for example “a: Avance adecuado”.")})
        if code in seen:
            raise ValidationError({"scale": _("Two levels have the code “%(code)s”.")
                                   % {"code": code}})
        seen.add(code)
        levels.append({"code": code, "label": label})
    return levels


@transaction.atomic
def edition_save(*, actor: User, request=None, data: dict,
                 edition: Edition | None = None) -> Edition:
    _allowed(actor)
    first, last = data.get("first_year"), data.get("last_year")
    if not first or not last or last < first:
        raise ValidationError({"last_year": _("The period goes from its first year to its "
                                              "last, such as 2025 to 2026.")})
    instrument = data.get("instrument") or (edition.instrument if edition else None)
    if instrument is None:
        raise ValidationError({"instrument": _("Choose the policy the edition follows.")})
    scale = data.get("scale", edition.scale if edition else [])
    if edition is not None and {lv["code"] for lv in edition.scale} - {
            lv["code"] for lv in scale} and edition.evidence.exclude(assessment="").exists():
        raise ValidationError({"scale": _(
            "Services are already assessed with levels this scale no longer has; keep those "
            "levels or change the assessments first.")})
    code = f"{first}-{last}"
    if Edition.objects.filter(code=code).exclude(pk=getattr(edition, "pk", None)).exists():
        raise ValidationError({"first_year": _("There is already an edition for %(code)s.")
                               % {"code": code}})
    record = edition or Edition()
    record.code, record.first_year, record.last_year = code, first, last
    record.instrument, record.scale = instrument, scale
    record.title = (data.get("title") or "").strip() or _(
        "Alternative report %(code)s") % {"code": code}
    record.published_on = data.get("published_on", record.published_on)
    record.save()
    _event(request, actor, "create" if edition is None else "update", "policy_edition", code)
    return record
