"""How long `amparo alerts refresh` takes for 100,000 cases on PostgreSQL, beside the same work
written by hand in SQL, in the same run on the same data.

    .venv/bin/python bench/alerts.py [--cases 100000] [--rounds 3]

(`AMPARO_BENCH_DB=name` uses another database, e.g. a small one to try the script.)

Uses the database `amparo_bench` on 127.0.0.1 (user postgres), shared with bench/pages.py:
creates, migrates and seeds it when it has fewer cases than asked (about 10 minutes for
100,000). Each round measures two situations, each first with Amparo's refresh (the ORM's
condition queries, the scratch table and the set-based diff) and then with the hand-written
SQL below (the same conditions and the same statements, typed out):

- *cold*: no alert exists yet, so every condition opens an alert (the first run);
- *daily*: alerts exist and little changed (every later run).

Before timing, it checks that both compute the same conditions for every rule. Prints seconds
per round and the median; not part of the test suite.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import production  # bench/production.py: the production configuration on this machine

ROOT = Path(__file__).resolve().parent.parent
DB = os.environ.get("AMPARO_BENCH_DB", "amparo_bench")

# The conditions, by hand. Parameters: %(today)s, %(rule)s and the rule's thresholds.
# `lima_day(ts)` is the local calendar day of a timestamp, as Django's TruncDate gives it.
OPEN = "c.status <> 'cerrado'"
MINOR = "c.is_minor AND ({b} IS NULL OR {b} > %(eighteen_ago)s)".format(b="i.birth_date")
MINOR_OUTER = MINOR.replace("i.birth_date", "c.birth_date")
LAST_REACHED = ("(SELECT f.contacted_on FROM cases_followup f WHERE f.case_id = c.id AND "
                "f.reached ORDER BY f.contacted_on DESC LIMIT 1)")
LATEST_RISK = ("(SELECT r.{col} FROM monitoring_riskassessment r WHERE r.case_id = c.id "
               "ORDER BY r.assessed_on DESC, r.created_at DESC LIMIT 1)")
CLOSING = ("(s.decision IN ('archivo', 'reserva_provisional') "
           "OR dr.decision IN ('archivo', 'reserva_provisional'))")
DEADLINES = ("FROM legal_deadline d JOIN legal_proceeding p ON p.id = d.proceeding_id "
             "JOIN cases_case c ON c.id = p.case_id "
             "LEFT JOIN legal_step s ON s.id = d.step_id "
             "LEFT JOIN legal_deadlinerule dr ON dr.id = d.rule_id "
             "WHERE d.status = 'pendiente' AND " + OPEN)
LIMA = "(h.starts_at AT TIME ZONE 'America/Lima')::date"

SQL = {
    "sin_contacto": f"""
        SELECT id, '', last, NULL::date, NULL::int, %(severity)s FROM (
          SELECT c.id, c.is_minor, i.birth_date, GREATEST(
            COALESCE({LAST_REACHED}, c.intake_date),
            COALESCE((SELECT v.delivered_on FROM cases_service v WHERE v.case_id = c.id
                      ORDER BY v.delivered_on DESC LIMIT 1), c.intake_date)) AS last
          FROM cases_case c LEFT JOIN cases_identity i ON i.person_id = c.person_id
          WHERE {OPEN}) c
        WHERE ({MINOR_OUTER} AND last <= %(today)s::date - %(days_minor)s)
           OR (NOT ({MINOR_OUTER}) AND last <= %(today)s::date - %(days)s)""",
    "intentos_fallidos": f"""
        SELECT c.id, '', x.first, NULL::date, x.n, %(severity)s FROM cases_case c
        CROSS JOIN LATERAL (
          SELECT count(*) AS n, min(f.contacted_on) AS first FROM cases_followup f
          WHERE f.case_id = c.id AND NOT f.reached
            AND f.contacted_on > COALESCE({LAST_REACHED}, '1900-01-01')) x
        WHERE {OPEN} AND x.n >= %(count)s""",
    "riesgo_alto": f"""
        SELECT id, '', risk_on, NULL::date, risk_score, %(severity)s FROM (
          SELECT c.id, {LATEST_RISK.format(col="level")} AS risk,
                 {LATEST_RISK.format(col="assessed_on")} AS risk_on,
                 {LATEST_RISK.format(col="score")} AS risk_score
          FROM cases_case c WHERE {OPEN}) c
        WHERE risk = ANY(%(levels)s)""",
    "signo_riesgo": f"""
        SELECT f.case_id, 'seguimiento:' || f.id::text, f.contacted_on, NULL::date, NULL::int,
               %(severity)s
        FROM cases_followup f JOIN cases_case c ON c.id = f.case_id
        WHERE f.reached AND {OPEN} AND f.risk_signs <> '[]'::jsonb
          AND f.id = (SELECT g.id FROM cases_followup g WHERE g.case_id = f.case_id AND g.reached
                      ORDER BY g.contacted_on DESC, g.created_at DESC LIMIT 1)""",
    "proceso_detenido": f"""
        SELECT p.case_id, 'proceso:' || p.id::text, p.last_activity_on, NULL::date, NULL::int,
               %(severity)s
        FROM legal_proceeding p JOIN cases_case c ON c.id = p.case_id
        WHERE p.stage <> 'concluido' AND {OPEN}
          AND p.last_activity_on <= %(today)s::date - %(days)s""",
    "audiencia_perdida": f"""
        SELECT p.case_id, 'audiencia:' || h.id::text, {LIMA}, NULL::date, NULL::int, %(severity)s
        FROM legal_hearing h JOIN legal_proceeding p ON p.id = h.proceeding_id
        JOIN cases_case c ON c.id = p.case_id
        WHERE h.survivor_must_attend AND h.survivor_attended = false AND {OPEN}
          AND {LIMA} > %(today)s::date - %(days)s AND {LIMA} <= %(today)s""",
    "archivo_sin_impugnar": f"""
        SELECT p.case_id, 'plazo:' || d.id::text, s.taken_on, d.due_on, NULL::int, %(severity)s
        {DEADLINES} AND {CLOSING}""",
    "plazo_vencido": f"""
        SELECT p.case_id, 'plazo:' || d.id::text, NULL::date, d.due_on, NULL::int, %(severity)s
        {DEADLINES} AND NOT COALESCE({CLOSING}, false) AND d.due_on < %(today)s""",
    "audiencia_proxima": f"""
        SELECT p.case_id, 'audiencia:' || h.id::text || ':' || {LIMA}::text, NULL::date, {LIMA},
               NULL::int,
               CASE WHEN {LIMA} <= %(today)s::date + %(urgent_days)s THEN 3 ELSE %(severity)s END
        FROM legal_hearing h JOIN legal_proceeding p ON p.id = h.proceeding_id
        JOIN cases_case c ON c.id = p.case_id
        WHERE h.status IN ('programada', 'reprogramada') AND {OPEN}
          AND {LIMA} >= %(today)s AND {LIMA} <= %(today)s::date + %(days)s""",
    "plazo_proximo": f"""
        SELECT p.case_id, 'plazo:' || d.id::text, NULL::date, d.due_on, NULL::int,
               CASE WHEN d.due_on <= %(today)s::date + %(urgent_days)s THEN 3 ELSE %(severity)s END
        {DEADLINES} AND NOT COALESCE({CLOSING}, false)
          AND d.due_on >= %(today)s AND d.due_on <= %(today)s::date + %(days)s""",
    "acciones_vencidas": f"""
        SELECT pl.case_id, '', min(a.due_on), NULL::date, count(*), %(severity)s
        FROM cases_planaction a JOIN cases_plangoal g ON g.id = a.goal_id
        JOIN cases_careplan pl ON pl.id = g.plan_id JOIN cases_case c ON c.id = pl.case_id
        WHERE a.status IN ('pendiente', 'en_curso') AND pl.status = 'aprobado' AND {OPEN}
          AND a.due_on <= %(today)s::date - %(days)s
        GROUP BY pl.case_id""",
    "plan_sin_revision": f"""
        SELECT pl.case_id, 'plan:' || pl.id::text,
               (pl.approved_at AT TIME ZONE 'America/Lima')::date, pl.review_on, NULL::int,
               %(severity)s
        FROM cases_careplan pl JOIN cases_case c ON c.id = pl.case_id
        WHERE pl.status = 'aprobado' AND {OPEN}
          AND (pl.review_on < %(today)s OR (pl.review_on IS NULL AND
               (pl.approved_at AT TIME ZONE 'America/Lima')::date
                 <= %(today)s::date - %(days)s))""",
    "valoracion_pendiente": f"""
        SELECT id, '', COALESCE(latest, intake_date), NULL::date, NULL::int, %(severity)s FROM (
          SELECT c.id, c.intake_date, (SELECT a.assessed_on FROM cases_assessment a
                 WHERE a.case_id = c.id ORDER BY a.assessed_on DESC LIMIT 1) AS latest
          FROM cases_case c WHERE {OPEN}) c
        WHERE latest <= %(today)s::date - %(days)s
           OR (latest IS NULL AND intake_date <= %(today)s::date - %(first_days)s)""",
    "riesgo_pendiente": f"""
        SELECT id, '', COALESCE(latest, intake_date), NULL::date, NULL::int, %(severity)s FROM (
          SELECT c.id, c.intake_date, {LATEST_RISK.format(col="assessed_on")} AS latest
          FROM cases_case c WHERE {OPEN}) c
        WHERE latest <= %(today)s::date - %(days)s
           OR (latest IS NULL AND intake_date <= %(today)s::date - %(first_days)s)""",
    "nna_sin_tutor": f"""
        SELECT c.id, '', c.intake_date, NULL::date, NULL::int, %(severity)s
        FROM cases_case c LEFT JOIN cases_identity i ON i.person_id = c.person_id
        WHERE {OPEN} AND {MINOR} AND c.guardian_type = ''
          AND c.intake_date <= %(today)s::date - %(days)s""",
    "caso_prolongado": f"""
        SELECT c.id, 'años:' || LEAST(40, GREATEST(1, extract(year FROM age(%(today)s::date,
               c.intake_date))::int)), c.intake_date, NULL::date, NULL::int, %(severity)s
        FROM cases_case c WHERE {OPEN} AND c.intake_date <= %(today)s::date - %(days)s""",
    "derivacion_sin_respuesta": f"""
        SELECT r.case_id, 'derivacion:' || r.id::text, r.referred_on, r.answer_due_on, NULL::int,
               %(severity)s
        FROM referrals_referral r JOIN cases_case c ON c.id = r.case_id
        WHERE r.direction = 'saliente' AND r.status IN ('enviada', 'sin_respuesta') AND {OPEN}
          AND r.answer_due_on <= %(today)s::date - %(days)s""",
    "datos_por_completar": f"""
        SELECT c.id, 'datos:'
               || CASE WHEN i.birth_date IS NULL AND i.estimated_age IS NULL THEN 'edad,'
                  ELSE '' END
               || CASE WHEN i.document_type = '' THEN 'documento,' ELSE '' END
               || CASE WHEN i.sex = '' THEN 'sexo,' ELSE '' END,
               c.intake_date, NULL::date, NULL::int, %(severity)s
        FROM cases_case c JOIN cases_identity i ON i.person_id = c.person_id
        WHERE {OPEN} AND ((i.birth_date IS NULL AND i.estimated_age IS NULL)
                          OR i.document_type = '' OR i.sex = '')
          AND (c.created_at AT TIME ZONE 'America/Lima')::date
              <= %(today)s::date - COALESCE(%(days)s, 0)""",
}

DIFF = [
    # conditions gone: end (and resolve) the live alert
    """UPDATE monitoring_alert a SET ended_on = %(today)s, ended_run_id = %(run)s
       WHERE a.ended_on IS NULL AND NOT EXISTS (SELECT 1 FROM monitoring_alertcondition c
         WHERE c.rule_id = a.rule_id AND c.case_id = a.case_id AND c.subject = a.subject)""",
    """UPDATE monitoring_alert SET status = 'resuelta', closed_at = now(), closed_by_id = NULL,
       snoozed_until = NULL WHERE ended_run_id = %(run)s AND status <> 'resuelta'""",
    # more urgent: raise and reopen (with an event each)
    """INSERT INTO monitoring_alertevent (id, alert_id, data_key_id, kind, at, comment_sealed)
       SELECT gen_random_uuid(), a.id, k.data_key_id, 'agravada', now(), ''::bytea
       FROM monitoring_alert a JOIN cases_case k ON k.id = a.case_id
       JOIN monitoring_alertcondition c ON c.rule_id = a.rule_id AND c.case_id = a.case_id
         AND c.subject = a.subject
       WHERE a.ended_on IS NULL AND c.severity > a.severity""",
    """UPDATE monitoring_alert a SET severity = c.severity, status = 'abierta', snoozed_until = NULL
       FROM monitoring_alertcondition c WHERE c.rule_id = a.rule_id AND c.case_id = a.case_id
         AND c.subject = a.subject AND a.ended_on IS NULL AND c.severity > a.severity""",
    # dates or counts moved
    """UPDATE monitoring_alert a SET since = c.since, due_on = c.due_on, count = c.count
       FROM monitoring_alertcondition c WHERE c.rule_id = a.rule_id AND c.case_id = a.case_id
         AND c.subject = a.subject AND a.ended_on IS NULL
         AND (c.since IS DISTINCT FROM a.since OR c.due_on IS DISTINCT FROM a.due_on
              OR c.count IS DISTINCT FROM a.count)""",
    # snoozes that ran out
    """INSERT INTO monitoring_alertevent (id, alert_id, data_key_id, kind, at, comment_sealed)
       SELECT gen_random_uuid(), a.id, k.data_key_id, 'reactivada', now(), ''::bytea
       FROM monitoring_alert a JOIN cases_case k ON k.id = a.case_id
       WHERE a.ended_on IS NULL AND a.status = 'pospuesta' AND a.snoozed_until <= %(today)s""",
    """UPDATE monitoring_alert SET status = 'abierta', snoozed_until = NULL
       WHERE ended_on IS NULL AND status = 'pospuesta' AND snoozed_until <= %(today)s""",
    # new conditions: open
    """INSERT INTO monitoring_alert (rule_id, kind, case_id, subject, severity, status, since,
         due_on, count, rule_version, opened_at, opened_run_id, version)
       SELECT c.rule_id, r.kind, c.case_id, c.subject, c.severity, 'abierta', c.since, c.due_on,
              c.count, r.version, now(), %(run)s, 1
       FROM monitoring_alertcondition c JOIN monitoring_alertrule r ON r.id = c.rule_id
       WHERE NOT EXISTS (SELECT 1 FROM monitoring_alert a WHERE a.rule_id = c.rule_id
         AND a.case_id = c.case_id AND a.subject = c.subject AND a.ended_on IS NULL)""",
    "DELETE FROM monitoring_alertcondition",
]


def setup(cases: int) -> None:
    # The production configuration (bench/production.py), not the demo.
    os.environ.update(production.environment(f"postgres://postgres@127.0.0.1:5432/{DB}"))
    subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", f"CREATE DATABASE {DB}"],
                   capture_output=True)
    amparo = str(ROOT / ".venv" / "bin" / "amparo")
    subprocess.run([amparo, "migrate", "--no-input", "-v", "0"], check=True)
    import django

    django.setup()
    from amparo.cases.models import Case

    have = Case.objects.count()
    if have < cases:
        started = time.perf_counter()
        production.seed(dict(os.environ), cases - have, have + 1)
        print(f"seeded {cases - have} cases in {time.perf_counter() - started:.0f} s", flush=True)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def params(rule, today) -> dict:
    from amparo.monitoring.choices import LEVEL_RANK, RiskLevel
    from amparo.monitoring.conditions import years_before

    threshold = LEVEL_RANK[RiskLevel(rule.level or "alto")]
    return {"today": today, "rule": rule.pk, "severity": rule.severity, "days": rule.days,
            "days_minor": rule.days_minor or rule.days, "first_days": rule.first_days or rule.days,
            "urgent_days": rule.urgent_days or 0, "count": rule.count or 1,
            "levels": [lvl.value for lvl, rank in LEVEL_RANK.items() if rank >= threshold],
            "eighteen_ago": years_before(today, 18)}


def sql_refresh(today) -> None:
    """The whole refresh in hand-written SQL, in one transaction."""
    from django.db import connection, transaction
    from django.utils import timezone

    from amparo.monitoring.models import AlertRule, AlertRun

    with transaction.atomic(), connection.cursor() as cursor:
        rules = list(AlertRule.objects.select_for_update().order_by("pk"))
        run = AlertRun.objects.create(run_on=today, started_at=timezone.now())
        cursor.execute("DELETE FROM monitoring_alertcondition")
        for rule in rules:
            if rule.active:
                cursor.execute(
                    "INSERT INTO monitoring_alertcondition (case_id, subject, since, due_on, "
                    "count, severity, rule_id) SELECT q.*, %(rule)s FROM (" + SQL[rule.kind]
                    + ") q", params(rule, today))
        for statement in DIFF:
            cursor.execute(statement, {"today": today, "run": run.pk})


def same_conditions(today) -> bool:
    """Both ways stage the same rows for every rule."""
    from django.db import connection, transaction

    from amparo.monitoring.models import AlertCondition, AlertRule
    from amparo.monitoring.refresh import stage_rule

    columns = ("rule_id", "case_id", "subject", "since", "due_on", "count", "severity")
    ok = True
    for rule in AlertRule.objects.filter(active=True).order_by("pk"):
        with transaction.atomic():
            AlertCondition.objects.all().delete()
            stage_rule(rule, today)
            orm = set(AlertCondition.objects.values_list(*columns))
            AlertCondition.objects.all().delete()
            with connection.cursor() as cursor:
                cursor.execute(
                    "INSERT INTO monitoring_alertcondition (case_id, subject, since, due_on, "
                    "count, severity, rule_id) SELECT q.*, %(rule)s FROM (" + SQL[rule.kind]
                    + ") q", params(rule, today))
            hand = set(AlertCondition.objects.values_list(*columns))
            AlertCondition.objects.all().delete()
        if orm != hand:
            ok = False
            print(f"  {rule.kind}: Amparo {len(orm)} rows, SQL {len(hand)} rows, "
                  f"{len(orm ^ hand)} differ", flush=True)
    return ok


def wipe() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE monitoring_alertevent, monitoring_alert, "
                       "monitoring_alertcondition, monitoring_alertrun CASCADE")


def timed(function, *args) -> float:
    started = time.perf_counter()
    function(*args)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    setup(args.cases)
    from django.utils import timezone

    from amparo.cases.models import Case
    from amparo.monitoring.models import Alert
    from amparo.monitoring.refresh import alerts_refresh

    today = timezone.localdate()
    print(f"{Case.objects.count()} cases, {Case.objects.exclude(status='cerrado').count()} open;"
          f" PostgreSQL; {os.cpu_count()} cores", flush=True)
    print("same conditions from Amparo and from the hand-written SQL:",
          "yes" if same_conditions(today) else "NO", flush=True)
    results: dict[str, list[float]] = {k: [] for k in
                                       ("cold amparo", "cold sql", "daily amparo", "daily sql")}
    for n in range(args.rounds):
        day = today + timedelta(days=n)
        wipe()
        results["cold amparo"].append(timed(alerts_refresh, day))
        alerts = Alert.objects.filter(ended_on__isnull=True).count()
        results["daily amparo"].append(timed(alerts_refresh, day + timedelta(days=1)))
        wipe()
        results["cold sql"].append(timed(sql_refresh, day))
        same = Alert.objects.filter(ended_on__isnull=True).count() == alerts
        results["daily sql"].append(timed(sql_refresh, day + timedelta(days=1)))
        print(f"round {n + 1}: {alerts} live alerts; " + ", ".join(
            f"{k} {v[-1]:.2f} s" for k, v in results.items())
            + ("" if same else " (SQL opened a different number of alerts!)"), flush=True)
    print("median (s):")
    for situation in ("cold", "daily"):
        ours, sql = (statistics.median(results[f"{situation} {w}"]) for w in ("amparo", "sql"))
        print(f"  {situation:5}  amparo {ours:6.2f}   hand-written SQL {sql:6.2f}   "
              f"ratio {ours / sql:4.2f}")
    one_case(today, args.rounds)


def one_case(today, rounds: int) -> None:
    """What a follow-up, a stage or a plan now costs on top of its own save: the case's rules
    recomputed once it commits (issue 34), beside the daily run over every case, same data."""
    import random

    from amparo.cases.models import Case
    from amparo.monitoring.refresh import alerts_refresh, case_alerts_refresh

    alerts_refresh(today)  # the alerts as the day's run left them
    open_ids = list(Case.objects.exclude(status="cerrado").values_list("pk", flat=True))
    chosen = random.Random(7).sample(open_ids, min(30, len(open_ids)))
    times = sorted(timed(case_alerts_refresh, [pk], today) for pk in chosen)
    daily = statistics.median(timed(alerts_refresh, today) for _round in range(rounds))
    p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
    median = statistics.median(times)
    print(f"one case changed ({len(times)} cases): median {median * 1000:.0f} ms, "
          f"p95 {p95 * 1000:.0f} ms; the daily run over every case {daily:.2f} s", flush=True)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
