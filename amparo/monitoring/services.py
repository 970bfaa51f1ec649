"""Every write of the monitoring by a person: acting on alerts, recording risk assessments,
editing rules and publishing a new version of the risk instrument. One transaction each, the
access check, the audit event."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from amparo.accounts.models import User
from amparo.accounts.permissions import can
from amparo.audit.services import event_record
from amparo.cases.access import case_allows
from amparo.cases.extensions import cases_changed
from amparo.cases.guards import check_editable, check_not_future
from amparo.cases.models import Case
from amparo.core.versioning import bump, locked
from amparo.monitoring import choices
from amparo.monitoring.conditions import PARAMS, RESOLVED_BY_HAND
from amparo.monitoring.models import (
    Alert,
    AlertEvent,
    AlertRule,
    RiskAssessment,
    RiskInstrument,
    RiskItem,
)

LONGEST_SNOOZE = 90
SHORTEST_COMMENT = 5
ACTION_AUDIT = {
    choices.EventKind.ACKNOWLEDGED: "acknowledge",
    choices.EventKind.SNOOZED: "snooze",
    choices.EventKind.RESOLVED: "resolve",
}


def _comment(text: str, message: str) -> str:
    text = (text or "").strip()
    if len(text) < SHORTEST_COMMENT:
        raise ValidationError({"comment": message})
    return text


@transaction.atomic
def alert_act(*, actor: User, request=None, alert: Alert, version: int, action: str,
              comment: str, until: date | None = None) -> Alert:
    """Acknowledge (with a comment), snooze (until a date, with a reason) or resolve (with a
    comment; only kinds that do not end on their own). The comment is sealed on the event."""
    case = alert.case
    if not case_allows(actor, case, "alert.manage"):
        raise PermissionDenied
    record = Alert.objects.select_for_update().get(pk=alert.pk)
    if record.version != version:
        raise ValidationError(_("Someone acted on this alert after you opened the page. Check "
                                "what it says now and act again if it is still needed."))
    if record.ended_on is not None or record.status == choices.Status.RESOLVED:
        raise ValidationError(_("This alert is already closed. Reload the page to see the "
                                "alerts that are still open."))
    today = timezone.localdate()
    kind = choices.EventKind(action)
    if kind == choices.EventKind.ACKNOWLEDGED:
        text = _comment(comment, _("Write in a few words what you are doing about it."))
        record.status, record.snoozed_until = choices.Status.ACKNOWLEDGED, None
    elif kind == choices.EventKind.SNOOZED:
        text = _comment(comment, _("Write why the alert can wait."))
        if until is None or not today < until <= today + timedelta(days=LONGEST_SNOOZE):
            raise ValidationError({"until": _(
                "Choose a date after today and at most %(days)s days away.")
                % {"days": LONGEST_SNOOZE}})
        record.status, record.snoozed_until = choices.Status.SNOOZED, until
    elif kind == choices.EventKind.RESOLVED:
        if record.kind not in RESOLVED_BY_HAND:
            raise ValidationError(_(
                "This alert closes on its own when the case file shows the situation changed "
                "(for example, a follow-up that reached her). Record that in the case, or "
                "acknowledge or snooze the alert."))
        text = _comment(comment, _("Write what was done."))
        record.status, record.snoozed_until = choices.Status.RESOLVED, None
        record.closed_at, record.closed_by = timezone.now(), actor
    else:
        raise ValidationError(_("Choose what to do with the alert."))
    bump(record)
    record.save()
    event = AlertEvent(alert=record, data_key_id=case.data_key_id, kind=kind, at=timezone.now(),
                       actor=actor, until=until if kind == choices.EventKind.SNOOZED else None)
    event.seal("comment", text)
    event.save()
    event_record(action=ACTION_AUDIT[kind], request=request, actor=actor, object_type="case",
                 object_id=case.code, section="alerts", office=case.office,
                 reason=f"{record.kind} #{record.pk}")
    return record


# Risk assessment ---------------------------------------------------------------------------

def current_instrument() -> RiskInstrument:
    return RiskInstrument.objects.order_by("-version").prefetch_related("items").first()


@transaction.atomic
def risk_assess(*, actor: User, request=None, case: Case, assessed_on: date, answers: list[str],
                notes: str = "") -> RiskAssessment:
    """Score the current instrument: the sum of the weights answered yes; a decisive item
    answered yes makes the level high."""
    check_editable(actor, case, "risk.assess")
    check_not_future(assessed_on, "assessed_on")
    if assessed_on < case.intake_date:
        raise ValidationError({"assessed_on": _("The date cannot be before the intake date.")})
    instrument = current_instrument()
    items = {item.code: item for item in instrument.items.all()}
    unknown = [a for a in answers if a not in items]
    if unknown:
        raise ValidationError({"answers": _("These items are not in the instrument: %(codes)s. "
                                            "Reload the page and answer again.")
                               % {"codes": ", ".join(unknown)}})
    chosen = [items[code] for code in items if code in set(answers)]
    score = sum(item.weight for item in chosen)
    assessment = RiskAssessment(
        case=case, data_key_id=case.data_key_id, instrument=instrument, assessed_on=assessed_on,
        answers=[item.code for item in chosen], score=score,
        level=instrument.level_for(score, any(item.decisive for item in chosen)),
        assessed_by=actor)
    assessment.seal("notes", notes.strip())
    assessment.save()
    event_record(action="create", request=request, actor=actor, object_type="case",
                 object_id=case.code, section="risk", office=case.office)
    cases_changed([case.pk])  # its alerts follow, once committed
    return assessment


@transaction.atomic
def instrument_publish(*, actor: User, request=None, items: list[dict], medium_from: int,
                       high_from: int, note: str) -> RiskInstrument:
    """A new version of the instrument. Items are dicts with code, text_es, text_en, weight and
    decisive; assessments already made keep the version they were scored with."""
    if not can(actor, "monitoring.configure"):
        raise PermissionDenied
    if not items:
        raise ValidationError(_("The instrument needs at least one item."))
    codes = [item["code"] for item in items]
    if len(set(codes)) != len(codes):
        raise ValidationError(_("Two items have the same code; give each its own."))
    if not 1 <= medium_from < high_from:
        raise ValidationError({"high_from": _(
            "The score for high must be above the score for medium, and both above zero.")})
    if not (note or "").strip():
        raise ValidationError({"note": _("Say what changed, so that old results stay "
                                         "explainable.")})
    version = (RiskInstrument.objects.aggregate(v=Max("version"))["v"] or 0) + 1
    instrument = RiskInstrument.objects.create(version=version, medium_from=medium_from,
                                               high_from=high_from, note=note.strip(),
                                               created_by=actor)
    RiskItem.objects.bulk_create([
        RiskItem(instrument=instrument, code=item["code"], text_es=item["text_es"].strip(),
                 text_en=(item.get("text_en") or item["text_es"]).strip(),
                 weight=item["weight"], decisive=bool(item.get("decisive")), position=n)
        for n, item in enumerate(items)])
    event_record(action="create", request=request, actor=actor, object_type="risk_instrument",
                 object_id=str(version), reason=note.strip()[:200])
    return instrument


# Rules -------------------------------------------------------------------------------------

RULE_FIELDS = ("days", "days_minor", "first_days", "urgent_days", "count", "level", "severity",
               "notify", "explanation_es", "explanation_en", "active")


@transaction.atomic
def rule_update(*, actor: User, request=None, rule: AlertRule, version: int,
                data: dict) -> AlertRule:
    """Change a rule's thresholds, severity, who is told or its texts. The rule's version goes
    up; open alerts keep the version they were raised under, the next refresh uses the new."""
    if not can(actor, "monitoring.configure"):
        raise PermissionDenied
    record = locked(AlertRule, rule.pk, version, list(RULE_FIELDS))
    kind = choices.Kind(record.kind)
    for name in PARAMS[kind]:
        value = data.get(name)
        if name == "level":
            if value not in choices.RiskLevel.values:
                raise ValidationError({"level": _("Choose a risk level.")})
        elif value is None or not 1 <= value <= 3650:
            raise ValidationError({name: _("Write a number from 1 to 3650.")})
        setattr(record, name, value)
    if "urgent_days" in PARAMS[kind] and record.urgent_days >= record.days:
        raise ValidationError({"urgent_days": _(
            "The urgent threshold must be fewer days than the first warning.")})
    if "days_minor" in PARAMS[kind] and record.days_minor > record.days:
        raise ValidationError({"days_minor": _(
            "A child's threshold cannot be longer than an adult's.")})
    if data.get("severity") not in choices.Severity.values:
        raise ValidationError({"severity": _("Choose a severity.")})
    notify = [slot for slot in data.get("notify") or [] if slot in choices.Slot.values]
    if not notify:
        raise ValidationError({"notify": _("Choose at least one person to tell.")})
    texts = {name: (data.get(name) or "").strip() for name in ("explanation_es", "explanation_en")}
    if not texts["explanation_es"]:
        raise ValidationError({"explanation_es": _("Write the explanation in Spanish.")})
    record.severity, record.notify, record.active = data["severity"], notify, bool(data["active"])
    record.explanation_es = texts["explanation_es"]
    record.explanation_en = texts["explanation_en"] or texts["explanation_es"]
    record.updated_by = actor
    bump(record)
    record.save()
    event_record(action="update", request=request, actor=actor, object_type="alert_rule",
                 object_id=record.kind, reason=f"v{record.version}")
    return record
