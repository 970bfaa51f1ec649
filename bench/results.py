"""How long every demo indicator takes over 100,000 cases on PostgreSQL (the production
configuration), with the same figure from a hand-written SQL query beside it, in the same run.

    .venv/bin/python bench/results.py [--cases 100000] [--rounds 3]

(`AMPARO_BENCH_DB=name` uses another database, e.g. a small one to try the script.)

Uses the database `amparo_bench` shared with bench/alerts.py and bench/pages.py (seeded when it
has fewer cases than asked, about 10 minutes for 100,000). Loads the two example frameworks of
`amparo/results/data/` and, for the last full year, computes each computed indicator as the
director's page does (with its breakdowns) and then its total by hand in SQL. Prints, per
indicator, both figures (they must agree) and the median seconds of each; not part of the test
suite.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from datetime import date
from pathlib import Path

from alerts import setup  # bench/alerts.py: the shared database, production configuration

ROOT = Path(__file__).resolve().parent.parent

SERVICES = ("FROM cases_service s JOIN cases_case c ON c.id = s.case_id "
            "WHERE s.delivered_on BETWEEN %(start)s AND %(end)s")
COMPLETED = """
    FROM prevention_attendance a
    JOIN prevention_activity ac ON ac.id = a.activity_id
    JOIN prevention_participant p ON p.id = a.participant_id
    WHERE ac.starts_on BETWEEN %(start)s AND %(end)s
      AND ac.kind IN ('capacitacion', 'taller') AND ac.status <> 'cancelada'
      AND (a.hours IS NULL OR ac.hours IS NULL
           OR a.hours >= ac.hours * ac.min_attendance / 100)
      AND (NOT ac.post_test_required OR EXISTS (
           SELECT 1 FROM prevention_score sc WHERE sc.activity_id = a.activity_id
           AND sc.participant_id = a.participant_id AND sc.phase = 'post'))"""
DECISIONS = """FROM legal_step s JOIN legal_proceeding p ON p.id = s.proceeding_id
    WHERE s.kind = 'decision' AND s.taken_on BETWEEN %(start)s AND %(end)s"""
SQL = {
    "R1.1": f"SELECT COUNT(DISTINCT c.person_id) {SERVICES}",
    "PS.5.1-29": """SELECT COUNT(DISTINCT c.person_id) FROM referrals_referral r
        JOIN cases_case c ON c.id = r.case_id
        WHERE r.referred_on BETWEEN %(start)s AND %(end)s AND r.direction = 'saliente'""",
    "R1.2": f"""SELECT ROUND(100.0 * (SELECT COUNT(DISTINCT c.person_id)
        FROM cases_followup f JOIN cases_case c ON c.id = f.case_id
        WHERE f.contacted_on BETWEEN %(start)s AND %(end)s AND f.reached)
        / NULLIF((SELECT COUNT(DISTINCT c.person_id) {SERVICES}), 0), 1)""",
    "PS.5.3-15": f"SELECT COUNT(DISTINCT COALESCE(p.merged_into_id, p.id)) {COMPLETED}",
    "R3.1": """SELECT COUNT(DISTINCT department) FROM policy_regionalinstrument
        WHERE has_objectives AND NOT COALESCE(ends < %(first)s, false)
        AND NOT COALESCE(starts > %(last)s, false)""",
    "A1": "SELECT COUNT(*) FROM cases_case WHERE intake_date BETWEEN %(start)s AND %(end)s",
    "A2": """SELECT COUNT(*) FROM cases_followup
        WHERE contacted_on BETWEEN %(start)s AND %(end)s""",
    "B1": """SELECT COALESCE(SUM(amount), 0) FROM legal_payment
        WHERE paid_on BETWEEN %(start)s AND %(end)s""",
    "A3": """SELECT COUNT(DISTINCT case_id) FROM monitoring_alert WHERE kind = 'sin_contacto'
        AND (opened_at AT TIME ZONE 'America/Lima')::date BETWEEN %(start)s AND %(end)s""",
    "B2": f"""SELECT COUNT(DISTINCT p.case_id) {DECISIONS}
        AND s.decision IN ('formalizacion', 'acusacion_directa')""",
    "B3": f"""SELECT COUNT(DISTINCT p.case_id) {DECISIONS} AND s.decision IN
        ('sentencia_condenatoria', 'sentencia_firme', 'terminacion_anticipada')""",
    "B4": """SELECT COUNT(*) FROM legal_measure
        WHERE granted_on BETWEEN %(start)s AND %(end)s""",
    "B5": """SELECT COUNT(*) FROM legal_proceeding p WHERE COALESCE(
        (SELECT h.stage_since FROM legal_historicalproceeding h WHERE h.id = p.id
         ORDER BY h.history_date LIMIT 1), p.stage_since) BETWEEN %(start)s AND %(end)s""",
}


def director():
    from amparo.accounts.models import User
    from amparo.accounts.services import user_create

    found = User.objects.filter(role_assignments__role="director").first()
    return found or user_create(actor=None, username="bench.director",
                                password="Bench-director-2026!", first_name="Bench",
                                last_name="Director", email="bench.director@bench.invalid",
                                roles=[("director", None)])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    setup(args.cases)
    from decimal import Decimal

    from django.db import connection

    from amparo.cases.models import Case
    from amparo.results import selectors, services
    from amparo.results.models import Indicator

    for name in ("donante-ctip.yaml", "interno.yaml"):  # loading again adds nothing
        services.framework_load(services.DATA / name)
    user = director()
    last = date.today().year - 1  # noqa: DTZ011 (the bench's own clock)
    start, end = date(last, 1, 1), date(last, 12, 31)
    params = {"start": start, "end": end, "first": last, "last": last}
    print(f"{Case.objects.count()} cases; PostgreSQL; {os.cpu_count()} cores; year {last}",
          flush=True)
    print(f"{'indicator':12} {'amparo':>14} {'sql':>14} {'amparo s':>9} {'sql s':>7}  records")
    for indicator in Indicator.objects.filter(code__in=SQL).select_related("framework"):
        ours, theirs, value, figure, read = [], [], None, None, 0
        for _round in range(args.rounds):
            started = time.perf_counter()
            measured = selectors.value_over(indicator, user, start, end,
                                            indicator.disaggregations)
            ours.append(time.perf_counter() - started)
            value, read = measured.value, measured.records_read
            started = time.perf_counter()
            with connection.cursor() as cursor:
                cursor.execute(SQL[indicator.code], params)
                figure = cursor.fetchone()[0]
            theirs.append(time.perf_counter() - started)
        same = Decimal(str(value)) == Decimal(str(figure or 0))
        print(f"{indicator.code:12} {value!s:>14} {figure!s:>14} "
              f"{statistics.median(ours):9.2f} {statistics.median(theirs):7.2f}  {read}"
              + ("" if same else "   DIFFERENT"), flush=True)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
