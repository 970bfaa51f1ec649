"""Writes of the results: frameworks loaded from their data file, values computed for a period
(or entered by hand with evidence), their approval up to a lock that nothing changes silently,
and targets. Each checks its permission and leaves an audit event."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import yaml
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from amparo.accounts.models import User
from amparo.accounts.permissions import must
from amparo.audit.services import section_event
from amparo.core.numbers import number_typed
from amparo.results import choices, compute
from amparo.results.models import Framework, Indicator, Result, Target, Value
from amparo.results.periods import Period, periods
from amparo.results.sources import dimensions_for

DATA = Path(__file__).parent / "data"
Status = choices.Status
NEXT = {Status.DRAFT: Status.SUBMITTED, Status.SUBMITTED: Status.APPROVED,
        Status.APPROVED: Status.LOCKED}




@transaction.atomic
def framework_load(path: Path | str) -> Framework:
    """A framework from its data file (YAML): the framework, its result tree, its indicators
    (each measure checked before anything is written) and targets by period label. Existing
    records are kept as they are: loading again adds only what is new."""
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    for entry in data.get("indicators") or []:
        if entry.get("measure"):
            try:
                compute.check(entry["measure"])
            except ValidationError as error:
                raise ValidationError(f"{entry['code']}: {' '.join(error.messages)}") from None
    head = data["framework"]
    framework, _made = Framework.objects.get_or_create(code=head["code"], defaults={
        "name": head["name"], "funder": head.get("funder", ""),
        "internal": head.get("internal", False), "period_kind": head["periods"],
        "fiscal_start_month": head.get("fiscal_start_month", 1),
        "starts_on": head["starts_on"], "ends_on": head["ends_on"]})
    results = {}
    for entry in data.get("results") or []:
        results[entry["code"]], _made = Result.objects.get_or_create(
            framework=framework, code=entry["code"], defaults={
                "text": entry["text"], "parent": results.get(entry.get("parent"))})
    by_label = {p.label: p for p in periods(
        framework.period_kind, framework.starts_on, framework.ends_on,
        fiscal_start_month=framework.fiscal_start_month)}
    for order, entry in enumerate(data.get("indicators") or [], 1):
        indicator, _made = Indicator.objects.get_or_create(
            framework=framework, code=str(entry["code"]), defaults={
                "result": results.get(entry.get("result")), "name": entry["name"],
                "definition": entry.get("definition", ""), "unit": entry["unit"],
                "time_rule": entry["time_rule"], "measure": entry.get("measure") or {},
                "disaggregations": entry.get("disaggregations") or [],
                "data_source": entry.get("data_source", ""), "method": entry.get("method", ""),
                "frequency": entry.get("frequency", ""),
                "responsible": entry.get("responsible", ""),
                "baseline": entry.get("baseline"), "baseline_year": entry.get("baseline_year"),
                "external_codes": entry.get("external_codes") or [], "order": order})
        for label, value in (entry.get("targets") or {}).items():
            period = by_label.get(str(label))
            if period is None:
                raise ValidationError(_("%(code)s: the framework has no period “%(label)s”; "
                                        "its periods are %(all)s.") % {
                    "code": entry["code"], "label": label, "all": ", ".join(by_label)})
            Target.objects.get_or_create(indicator=indicator, period_start=period.start,
                                         period_end=period.end, dimension="", category="",
                                         defaults={"value": Decimal(str(value))})
        for target in entry.get("targets_by") or []:
            period = by_label.get(str(target["period"]))
            dimension, category = target["by"], str(target["category"])
            problem = _target_problem(indicator, dimension, category) if period else _(
                "no period “%(label)s”") % {"label": target["period"]}
            if problem:
                raise ValidationError(f"{entry['code']}: {problem}")
            Target.objects.get_or_create(
                indicator=indicator, period_start=period.start, period_end=period.end,
                dimension=dimension, category=category,
                defaults={"value": Decimal(str(target["value"]))})
    return framework


def _measured(indicator: Indicator, actor, period: Period) -> compute.Measured:
    """Stored breakdowns are keyed by the categories' codes: a label that changes, or a
    language, never changes a locked value."""
    return compute.measure(indicator.measure, actor, period.start, period.end,
                           indicator.disaggregations, codes=True)


def _stored(result: compute.Measured) -> dict:
    return {"value": result.value, "numerator": result.numerator,
            "denominator": result.denominator, "breakdowns": result.breakdowns,
            "records_read": result.records_read}


@transaction.atomic
def value_compute(*, actor: User, request=None, indicator: Indicator,
                  period: Period) -> Value:
    """Compute the period's value from the records (with the director's, organisation-wide,
    scope). A locked value stays as it is; a result that differs waits beside it, for the
    director to approve or dismiss."""
    must(actor, "results.manage")
    if not indicator.computed:
        raise ValidationError(_("This indicator is entered by hand, with its evidence."))
    result = _measured(indicator, actor, period)
    now = timezone.now()
    record = Value.objects.select_for_update().filter(
        indicator=indicator, period_start=period.start, period_end=period.end).first()
    if record is None:
        record = Value.objects.create(indicator=indicator, period_start=period.start,
                                      period_end=period.end, computed_at=now, **_stored(result))
    elif record.status == Status.LOCKED:
        differs = result.value != record.value or result.breakdowns != record.breakdowns
        record.pending = {**_stored(result), "value": str(result.value),
                          "numerator": _text(result.numerator),
                          "denominator": _text(result.denominator),
                          "computed_at": now.isoformat()} if differs else None
        record.save(update_fields=["pending"])
    else:
        for key, value in _stored(result).items():
            setattr(record, key, value)
        record.computed_at, record.status = now, Status.DRAFT
        record.save()
    section_event(request, "results", "indicator", indicator.code, f"computed {period.label}",
                  action="update", actor=actor)
    return record


def _text(number) -> str | None:
    return None if number is None else str(number)


@transaction.atomic
def value_enter(*, actor: User, request=None, indicator: Indicator, period: Period, value,
                evidence: str) -> Value:
    """A manual indicator's value, with what proves it."""
    must(actor, "results.manage")
    try:
        number = number_typed(value)
    except ValueError:
        raise ValidationError({"value": _("Write a number, such as 12 or 3600000.")}) from None
    if not (evidence or "").strip():
        raise ValidationError({"evidence": _(
            "Say what proves the value: a document, a norm, a record.")})
    record = Value.objects.select_for_update().filter(
        indicator=indicator, period_start=period.start, period_end=period.end).first()
    if record is not None and record.status == Status.LOCKED:
        raise ValidationError(_("This period is locked; its value cannot change."))
    record = record or Value(indicator=indicator, period_start=period.start,
                             period_end=period.end)
    record.value, record.evidence, record.status = number, evidence.strip(), Status.DRAFT
    record.save()
    section_event(request, "results", "indicator", indicator.code, f"entered {period.label}",
                  action="update", actor=actor)
    return record


@transaction.atomic
def value_decide(*, actor: User, request=None, value: Value, decision: str) -> Value:
    """submit → approve → lock, one step at a time; on a locked value with a differing
    recomputation, "accept" replaces the value with it (the old one stays in the history) and
    "dismiss" keeps the value."""
    must(actor, "results.manage")
    record = Value.objects.select_for_update().get(pk=value.pk)
    if decision in ("accept", "dismiss"):
        if not record.pending:
            raise ValidationError(_("Nothing is waiting to be approved for this value."))
        if decision == "accept":
            pending = record.pending
            record.value = Decimal(pending["value"])
            record.numerator = _number(pending.get("numerator"))
            record.denominator = _number(pending.get("denominator"))
            record.breakdowns = pending["breakdowns"]
            record.records_read = pending["records_read"]
        record.pending = None
    else:
        if NEXT.get(record.status) != decision:
            raise ValidationError(_("A value goes from draft to submitted, approved and locked, "
                                    "one step at a time."))
        record.status = decision
    record.decided_by, record.decided_at = actor, timezone.now()
    record.save()
    section_event(request, "results", "indicator", record.indicator.code, decision,
                  action="update", actor=actor)
    return record


def _number(text) -> Decimal | None:
    return None if text in (None, "") else Decimal(text)


def _target_problem(indicator: Indicator, dimension: str, category: str) -> str:
    """What is wrong with a target's breakdown and category, or ""."""
    if not dimension:
        return "" if not category else _("Choose the breakdown the category belongs to.")
    if "numerator" in indicator.measure:
        return _("A percentage has a target for its total only.")
    dimensions = dimensions_for(indicator.measure)
    if dimension not in dimensions:
        return _("%(code)s cannot be broken down by “%(d)s”; it can by: %(all)s.") % {
            "code": indicator.code, "d": dimension,
            "all": ", ".join(f"{d.label} ({key})" for key, d in dimensions.items()) or "—"}
    known = dict(compute.categories(dimensions[dimension]))
    if category not in known:
        return _("“%(c)s” is not a category of %(d)s.") % {
            "c": category, "d": dimensions[dimension].label}
    return ""


@transaction.atomic
def target_save(*, actor: User, request=None, indicator: Indicator, period: Period,
                dimension: str = "", category: str = "", value) -> Target:
    """The target for the period, in total or for one category of a breakdown; an empty value
    removes it."""
    must(actor, "results.manage")
    problem = _target_problem(indicator, dimension, category)
    if problem:
        raise ValidationError({"category": problem})
    where = {"indicator": indicator, "period_start": period.start, "period_end": period.end,
             "dimension": dimension, "category": category}
    if str(value).strip() == "":
        Target.objects.filter(**where).delete()
        section_event(request, "results", "indicator", indicator.code, f"target {period.label}",
                      action="delete", actor=actor)
        return Target(**where, value=Decimal(0))
    try:
        number = number_typed(value)
    except ValueError:
        raise ValidationError({"value": _("Write a number, such as 120.")}) from None
    if number < 0:
        raise ValidationError({"value": _("A target cannot be negative.")})
    target, _created = Target.objects.update_or_create(**where, defaults={"value": number})
    section_event(request, "results", "indicator", indicator.code,
                  f"target {period.label} {dimension}:{category}".strip(" :"), action="update",
                  actor=actor)
    return target


def in_range(period: Period, start: date, end: date) -> bool:
    return period.start >= start and period.end <= end
