"""Records written straight to the tables, dated relative to a fixed day, for the rule tests
(the services refuse dates in the future of the real clock; the refresh takes its own day)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from amparo.cases.models import Case, FollowUp, Service
from amparo.legal.models import Deadline, Hearing, Proceeding, Step
from amparo.monitoring import choices
from amparo.monitoring.models import Alert, RiskAssessment, RiskInstrument
from amparo.monitoring.refresh import alerts_refresh

TODAY = date(2026, 11, 2)  # a Monday


def ago(days: int) -> date:
    return TODAY - timedelta(days=days)


def ahead(days: int) -> date:
    return TODAY + timedelta(days=days)


def live(case: Case, kind: str | None = None):
    alerts = Alert.objects.filter(case=case, ended_on__isnull=True)
    return alerts.filter(kind=kind) if kind else alerts


def refresh(day: date = TODAY):
    return alerts_refresh(day)


def set_case(case: Case, **fields) -> Case:
    Case.objects.filter(pk=case.pk).update(**fields)
    case.refresh_from_db()
    return case


def follow_up(case, day, *, reached=True, signs=()):
    return FollowUp.objects.create(case=case, data_key_id=case.data_key_id, contacted_on=day,
                                   channel="telefono", reached=reached, risk_signs=list(signs),
                                   created_by=case.worker)


def service(case, day):
    return Service.objects.create(case=case, data_key_id=case.data_key_id, kind="trabajo_social",
                                  mode="presencial", delivered_on=day, staff=case.worker)


def proceeding(case, *, last_activity=None, stage="diligencias_preliminares"):
    day = last_activity or ago(10)
    return Proceeding.objects.create(case=case, data_key_id=case.data_key_id, stage=stage,
                                     stage_since=day, last_activity_on=day, created_by=case.worker)


def hearing(record, day: date, **fields):
    starts = timezone.make_aware(datetime.combine(day, time(10, 0)))
    return Hearing.objects.create(proceeding=record, data_key_id=record.data_key_id,
                                  kind="juicio_oral", starts_at=starts,
                                  created_by=record.created_by, **fields)


def deadline(record, due: date, *, decision="", taken_on=None):
    step = None
    if decision:
        step = Step.objects.create(proceeding=record, data_key_id=record.data_key_id,
                                   kind="decision", decision=decision,
                                   stage_before=record.stage, stage_after="concluido",
                                   taken_on=taken_on or ago(2), recorded_by=record.created_by)
    return Deadline.objects.create(proceeding=record, step=step, action="Apelar", due_on=due)


def risk(case, day, level, score=0):
    return RiskAssessment.objects.create(
        case=case, data_key_id=case.data_key_id, instrument=RiskInstrument.objects.first(),
        assessed_on=day, answers=[], score=score, level=level, assessed_by=case.worker)


def severity(alert) -> int:
    return choices.Severity(alert.severity)
