"""`alerts_refresh`: compute every rule for every open case and bring the alerts up to date.

One transaction, set-based throughout:

1. each active rule's condition query (`conditions.py`) is written to the scratch table
   `AlertCondition` with one INSERT … SELECT;
2. live alerts whose condition is gone end (and are resolved if nobody had resolved them);
3. live alerts whose condition became more urgent are raised and reopened;
4. live alerts whose dates or counts moved take the new values;
5. snoozes that ran out reopen their alerts;
6. conditions without a live alert open one.

Running it twice on the same data changes nothing the second time. Ended alerts stay as history.
Concurrent runs queue on the rules' row locks (PostgreSQL) or the database lock (SQLite).

`case_alerts_refresh(case_ids)` is the same computation limited to some cases: the services that
can start or end a condition (a follow-up, a risk assessment, a hearing, a stage, a plan, a
referral's answer) call `cases.extensions.cases_changed`, and the case's alerts follow it once
the change is committed. The daily run stays the safety net and finds nothing more to do.
"""

from __future__ import annotations

import logging
from datetime import date

from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from amparo.monitoring import choices
from amparo.monitoring.conditions import COLUMNS, conditions
from amparo.monitoring.models import Alert, AlertCondition, AlertEvent, AlertRule, AlertRun
from amparo.monitoring.notify import high_alerts_tell

log = logging.getLogger(__name__)
STAGED = ("case_id", "subject", "since", "due_on", "count", "severity")
NO_DATE = date(1, 1, 1)


@transaction.atomic
def alerts_refresh(today: date | None = None, *, cases: list[int] | None = None) -> AlertRun:
    """Every rule over every open case, or over `cases` (their ids) only."""
    today = today or timezone.localdate()
    now = timezone.now()
    rules = list(AlertRule.objects.select_for_update().order_by("pk"))
    run = AlertRun.objects.create(run_on=today, started_at=now,
                                  for_cases=len(cases) if cases is not None else None)
    AlertCondition.objects.all().delete()
    for rule in rules:
        if rule.active:
            stage_rule(rule, today, cases)

    live = Alert.objects.filter(ended_on__isnull=True)
    if cases is not None:
        live = live.filter(case_id__in=cases)
    same = AlertCondition.objects.filter(
        rule=OuterRef("rule"), case=OuterRef("case"), subject=OuterRef("subject"))

    run.ended = live.exclude(Exists(same)).update(ended_on=today, ended_run=run)
    Alert.objects.filter(ended_run=run).exclude(status=choices.Status.RESOLVED).update(
        status=choices.Status.RESOLVED, closed_at=now, closed_by=None, snoozed_until=None)

    raised = live.filter(Exists(same.filter(severity__gt=OuterRef("severity"))))
    run.escalated = _events(raised, choices.EventKind.ESCALATED, now)
    raised.update(severity=Subquery(same.values("severity")[:1]), status=choices.Status.OPEN,
                  snoozed_until=None)

    moved = live.filter(Exists(_moved(same)))
    moved.update(since=Subquery(same.values("since")[:1]),
                 due_on=Subquery(same.values("due_on")[:1]),
                 count=Subquery(same.values("count")[:1]))

    woken = live.filter(status=choices.Status.SNOOZED, snoozed_until__lte=today)
    run.woke = _events(woken, choices.EventKind.WOKE, now)
    woken.update(status=choices.Status.OPEN, snoozed_until=None)

    run.opened = _open(run, now)
    AlertCondition.objects.all().delete()
    run.live = live.filter(status__in=choices.LIVE).count()
    run.finished_at = timezone.now()
    run.save()
    log.info("alerts refreshed for %s (%s): %s opened, %s ended, %s escalated, %s woke, %s live",
             today, f"{len(cases)} cases" if cases is not None else "every case", run.opened,
             run.ended, run.escalated, run.woke, run.live)
    return run


def case_alerts_refresh(case_ids: list[int], today: date | None = None) -> list[Alert]:
    """Recompute the rules of some cases now (after a change to them was committed) and tell
    the case's coordinators of any high alert it opened or raised. Returns those alerts."""
    if not case_ids:
        return []
    before = set(Alert.objects.filter(case_id__in=case_ids, ended_on__isnull=True,
                                      severity=choices.Severity.HIGH)
                 .values_list("pk", flat=True))
    alerts_refresh(today, cases=sorted(set(case_ids)))
    new = list(Alert.objects.filter(case_id__in=case_ids, ended_on__isnull=True,
                                    severity=choices.Severity.HIGH, status=choices.Status.OPEN)
               .exclude(pk__in=before).select_related("case__office"))
    if new:
        high_alerts_tell(new)
    return new


def _moved(same):
    """Conditions whose dates or count differ from their live alert's (NULL-safe)."""
    return same.annotate(
        since_or=Coalesce("since", Value(NO_DATE)), due_or=Coalesce("due_on", Value(NO_DATE)),
        count_or=Coalesce("count", Value(-1)),
    ).filter(
        ~Q(since_or=Coalesce(OuterRef("since"), Value(NO_DATE)))
        | ~Q(due_or=Coalesce(OuterRef("due_on"), Value(NO_DATE)))
        | ~Q(count_or=Coalesce(OuterRef("count"), Value(-1)))
    )


def stage_rule(rule: AlertRule, today: date, cases: list[int] | None = None) -> None:
    """INSERT INTO the scratch table SELECT the rule's condition rows (of some cases only)."""
    rows = conditions(rule, today)
    if cases is not None:
        rows = rows.filter(c_case__in=cases)
    sql, params = rows.query.get_compiler(connection=connection).as_sql()
    names = [*rows.query.extra_select, *rows.query.values_select, *rows.query.annotation_select]
    by_name = dict(zip(COLUMNS, STAGED))
    q = connection.ops.quote_name
    target = ", ".join(q(by_name[n]) for n in names)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {q(AlertCondition._meta.db_table)} ({q('rule_id')}, {target}) "
            f"SELECT %s, q.* FROM ({sql}) q", (rule.pk, *params))


def _open(run: AlertRun, now) -> int:
    q = connection.ops.quote_name
    alert, cond, rule = (q(m._meta.db_table) for m in (Alert, AlertCondition, AlertRule))
    sql = (
        f"INSERT INTO {alert} (rule_id, kind, case_id, subject, severity, status, since, due_on, "
        f"{q('count')}, rule_version, opened_at, opened_run_id, version) "
        f"SELECT c.rule_id, r.kind, c.case_id, c.subject, c.severity, %s, c.since, c.due_on, "
        f"c.{q('count')}, r.version, %s, %s, 1 "
        f"FROM {cond} c JOIN {rule} r ON r.id = c.rule_id "
        f"WHERE NOT EXISTS (SELECT 1 FROM {alert} a WHERE a.rule_id = c.rule_id "
        f"AND a.case_id = c.case_id AND a.subject = c.subject AND a.ended_on IS NULL)"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, (choices.Status.OPEN.value,
                             connection.ops.adapt_datetimefield_value(now), run.pk))
        return max(cursor.rowcount, 0)


def _events(alerts, kind: str, now) -> int:
    """One event per alert the refresh changed (few rows: escalations and ended snoozes)."""
    rows = list(alerts.values_list("pk", "case__data_key_id"))
    AlertEvent.objects.bulk_create(
        [AlertEvent(alert_id=pk, data_key_id=key, kind=kind, at=now) for pk, key in rows],
        batch_size=1000)
    return len(rows)
