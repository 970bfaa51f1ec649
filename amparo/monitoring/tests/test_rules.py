"""Each rule fires exactly when it should: boundaries at N−1, N and N+1 days, children, closed
cases never alerting."""

from __future__ import annotations

from datetime import date

import pytest

from amparo.cases.models import CarePlan, PlanAction, PlanGoal
from amparo.legal.models import Deadline
from amparo.monitoring.choices import Kind, Severity, Status
from amparo.monitoring.models import AlertRule
from amparo.monitoring.tests.helpers import (
    TODAY,
    ago,
    ahead,
    deadline,
    follow_up,
    hearing,
    live,
    proceeding,
    refresh,
    risk,
    service,
    set_case,
)
from amparo.referrals.models import Referral

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(make_case):
    return set_case(make_case(), intake_date=ago(400))


@pytest.fixture
def child(make_case):
    return set_case(make_case(identity={"birth_date": date(2011, 6, 1)},
                              case={"guardian_type": "upe"}), intake_date=ago(400))


def rule(kind) -> AlertRule:
    return AlertRule.objects.get(kind=kind)


@pytest.mark.parametrize("days, fires", [(59, False), (60, True), (61, True)])
def test_lost_contact_at_sixty_days_for_an_adult(case, days, fires):
    follow_up(case, ago(days))
    refresh()
    assert live(case, Kind.LOST_CONTACT).exists() is fires


@pytest.mark.parametrize("days, fires", [(29, False), (30, True), (31, True)])
def test_lost_contact_at_thirty_days_for_a_child(child, days, fires):
    follow_up(child, ago(days))
    refresh()
    assert live(child, Kind.LOST_CONTACT).exists() is fires


def test_a_child_who_turned_eighteen_counts_as_an_adult(make_case):
    grown = set_case(make_case(identity={"birth_date": date(2008, 9, 1)},
                               case={"guardian_type": "madre_padre"}), intake_date=ago(400))
    follow_up(grown, ago(45))
    refresh()
    assert not live(grown, Kind.LOST_CONTACT).exists()


def test_unreached_attempts_and_old_contacts_do_not_count_but_a_service_does(case):
    follow_up(case, ago(70))
    follow_up(case, ago(5), reached=False)
    refresh()
    alert = live(case, Kind.LOST_CONTACT).get()
    assert alert.since == ago(70)
    service(case, ago(3))
    refresh()
    assert not live(case, Kind.LOST_CONTACT).exists()
    alert.refresh_from_db()
    assert alert.ended_on == TODAY and alert.status == Status.RESOLVED and alert.closed_by is None


def test_lost_contact_counts_from_intake_when_nobody_followed_up(case):
    set_case(case, intake_date=ago(60))
    refresh()
    assert live(case, Kind.LOST_CONTACT).get().since == ago(60)


@pytest.mark.parametrize("failed, fires", [(2, False), (3, True), (4, True)])
def test_consecutive_failed_attempts(case, failed, fires):
    follow_up(case, ago(40))
    follow_up(case, ago(50), reached=False)  # before the last reach: does not count
    for n in range(failed):
        follow_up(case, ago(30 - n), reached=False)
    refresh()
    alerts = live(case, Kind.FAILED_ATTEMPTS)
    assert alerts.exists() is fires
    if fires:
        assert alerts.get().count == failed


def test_a_reached_follow_up_ends_the_failed_attempts(case):
    for n in range(3):
        follow_up(case, ago(10 + n), reached=False)
    refresh()
    assert live(case, Kind.FAILED_ATTEMPTS).exists()
    follow_up(case, ago(1))
    refresh()
    assert not live(case, Kind.FAILED_ATTEMPTS).exists()


def test_risk_level_at_or_above_the_threshold(case):
    risk(case, ago(20), "medio", 7)
    refresh()
    assert not live(case, Kind.RISK_LEVEL).exists()
    risk(case, ago(5), "alto", 14)
    refresh()
    assert live(case, Kind.RISK_LEVEL).get().count == 14
    AlertRule.objects.filter(kind=Kind.RISK_LEVEL).update(level="medio")
    risk(case, ago(1), "medio", 8)
    refresh()
    alert = live(case, Kind.RISK_LEVEL).get()
    assert (alert.since, alert.count) == (ago(1), 8)


def test_a_risk_sign_at_the_last_reached_follow_up(case):
    follow_up(case, ago(9), signs=["contacto_tratante"])
    refresh()
    first = live(case, Kind.RISK_SIGN).get()
    follow_up(case, ago(4), reached=False)  # an attempt that failed changes nothing
    refresh()
    assert live(case, Kind.RISK_SIGN).get() == first
    follow_up(case, ago(2), signs=["deudas"])
    refresh()
    second = live(case, Kind.RISK_SIGN).get()
    assert second != first and second.since == ago(2)
    follow_up(case, ago(1))
    refresh()
    assert not live(case, Kind.RISK_SIGN).exists()


@pytest.mark.parametrize("days, fires", [(179, False), (180, True), (181, True)])
def test_stalled_proceeding(case, days, fires):
    proceeding(case, last_activity=ago(days))
    proceeding(case, last_activity=ago(900), stage="concluido")
    refresh()
    assert live(case, Kind.STALLED).count() == (1 if fires else 0)


def test_a_missed_hearing_shows_for_thirty_days(case):
    record = proceeding(case)
    hearing(record, ago(29), survivor_must_attend=True, survivor_attended=False, status="realizada")
    hearing(record, ago(30), survivor_must_attend=True, survivor_attended=False, status="realizada")
    hearing(record, ago(3), survivor_must_attend=True, survivor_attended=True, status="realizada")
    hearing(record, ago(4), survivor_must_attend=False, survivor_attended=False, status="realizada")
    refresh()
    assert live(case, Kind.MISSED_HEARING).get().since == ago(29)


def test_an_archive_alerts_until_its_deadline_is_closed(case):
    record = proceeding(case)
    pending = deadline(record, ahead(3), decision="archivo")
    deadline(record, ahead(3), decision="sobreseimiento")
    refresh()
    alert = live(case, Kind.ARCHIVE).get()
    assert (alert.due_on, alert.severity) == (ahead(3), Severity.HIGH)
    assert live(case, Kind.DEADLINE_SOON).count() == 1  # the other decision's deadline only
    refresh(ahead(5))
    assert live(case, Kind.ARCHIVE).exists()  # passed and still not challenged
    Deadline.objects.filter(pk=pending.pk).update(status="cumplido")
    refresh(ahead(5))
    assert not live(case, Kind.ARCHIVE).exists()


@pytest.mark.parametrize("due, kind", [(-1, Kind.DEADLINE_PASSED), (0, Kind.DEADLINE_SOON)])
def test_a_deadline_passes_the_day_after_it_falls(case, due, kind):
    deadline(proceeding(case), ahead(due))
    refresh()
    assert live(case).filter(kind__in=[Kind.DEADLINE_PASSED, Kind.DEADLINE_SOON]).get().kind == kind


@pytest.mark.parametrize("days, severity", [(8, None), (7, Severity.MEDIUM), (3, Severity.MEDIUM),
                                            (2, Severity.HIGH), (0, Severity.HIGH)])
def test_upcoming_hearing_seven_and_two_days_before(case, days, severity):
    hearing(proceeding(case), ahead(days))
    refresh()
    alerts = live(case, Kind.HEARING_SOON)
    assert (alerts.get().severity if alerts.exists() else None) == severity


def test_a_hearing_two_days_away_reopens_an_acknowledged_warning(case):
    record = proceeding(case)
    hearing(record, ahead(5))
    refresh()
    alert = live(case, Kind.HEARING_SOON).get()
    alert.status = Status.ACKNOWLEDGED
    alert.save()
    refresh(ahead(3))
    alert.refresh_from_db()
    assert (alert.severity, alert.status) == (Severity.HIGH, Status.OPEN)
    assert alert.events.get().kind == "agravada"
    refresh(ahead(6))  # the hearing is past
    alert.refresh_from_db()
    assert alert.ended_on == ahead(6)


def test_a_rescheduled_hearing_is_a_new_alert(case):
    held = hearing(proceeding(case), ahead(4))
    refresh()
    first = live(case, Kind.HEARING_SOON).get()
    held.starts_at = held.starts_at.replace(day=held.starts_at.day + 2)
    held.save()
    refresh()
    assert live(case, Kind.HEARING_SOON).get() != first


def _plan(case, *, review_on=None, approved_days=10):
    from datetime import datetime, time

    from django.utils import timezone

    plan = CarePlan.objects.create(
        case=case, horizon="corto", status="aprobado", review_on=review_on,
        approved_at=timezone.make_aware(datetime.combine(ago(approved_days), time(12))),
        created_by=case.worker)
    return plan, PlanGoal.objects.create(plan=plan, data_key=plan.case.data_key, domain="salud",
                                         goal="Estar sana")


@pytest.mark.parametrize("late, fires", [(0, False), (1, True), (2, True)])
def test_overdue_plan_actions(case, late, fires):
    _, goal = _plan(case)
    PlanAction.objects.create(goal=goal, data_key=goal.data_key, description="Cita",
                              due_on=ago(late))
    PlanAction.objects.create(goal=goal, data_key=goal.data_key, description="Hecha",
                              due_on=ago(30), status="hecha")
    refresh()
    alerts = live(case, Kind.ACTIONS_OVERDUE)
    assert alerts.exists() is fires
    if fires:
        assert alerts.get().count == 1


@pytest.mark.parametrize("review, approved, fires", [
    (ahead(0), 300, False), (ago(1), 10, True), (None, 179, False), (None, 180, True),
])
def test_care_plan_review(case, review, approved, fires):
    _plan(case, review_on=review, approved_days=approved)
    refresh()
    assert live(case, Kind.PLAN_REVIEW).exists() is fires


@pytest.mark.parametrize("intake, fires", [(29, False), (30, True)])
def test_first_risk_assessment_due_thirty_days_after_intake(case, intake, fires):
    set_case(case, intake_date=ago(intake))
    refresh()
    assert live(case, Kind.RISK_DUE).exists() is fires
    assert live(case, Kind.ASSESSMENT_DUE).exists() is fires


@pytest.mark.parametrize("days, fires", [(89, False), (90, True), (91, True)])
def test_risk_assessment_repeats_every_ninety_days(case, days, fires):
    risk(case, ago(days), "bajo")
    refresh()
    assert live(case, Kind.RISK_DUE).exists() is fires


@pytest.mark.parametrize("days, guardian, fires", [
    (2, "", False), (3, "", True), (4, "", True), (30, "upe", False),
])
def test_a_child_without_guardian(child, days, guardian, fires):
    set_case(child, intake_date=ago(days), guardian_type=guardian)
    refresh()
    assert live(child, Kind.MINOR_NO_GUARDIAN).exists() is fires


def test_an_adult_needs_no_guardian(case):
    refresh()
    assert not live(case, Kind.MINOR_NO_GUARDIAN).exists()


@pytest.mark.parametrize("days, fires", [(1094, False), (1095, True), (1096, True)])
def test_case_open_three_years(case, days, fires):
    set_case(case, intake_date=ago(days))
    refresh()
    assert live(case, Kind.LONG_OPEN).exists() is fires


def test_a_reviewed_long_case_comes_back_on_the_next_anniversary(case):
    set_case(case, intake_date=ago(1100))
    refresh()
    alert = live(case, Kind.LONG_OPEN).get()
    assert alert.subject == "años:3"
    alert.status = Status.RESOLVED
    alert.save()
    refresh(ahead(30))
    assert live(case, Kind.LONG_OPEN).get() == alert  # resolved by hand: holds for the year
    refresh(ahead(400))
    assert live(case, Kind.LONG_OPEN).get().subject == "años:4"


@pytest.mark.parametrize("days, fires", [(0, False), (1, True), (2, True)])
def test_referral_without_answer(case, directory, days, fires):
    Referral.objects.create(case=case, data_key_id=case.data_key_id, direction="saliente",
                            institution=directory["cem"], purpose="proteccion",
                            referred_on=ago(20), status="enviada", status_on=ago(20),
                            answer_due_on=ago(days),
                            referred_by=case.worker)
    refresh()
    assert live(case, Kind.REFERRAL_UNANSWERED).exists() is fires


def test_closed_cases_never_alert(case):
    follow_up(case, ago(200), signs=["amenazas"])
    risk(case, ago(100), "alto", 20)
    record = proceeding(case, last_activity=ago(400))
    hearing(record, ahead(1))
    deadline(record, ago(3))
    deadline(record, ahead(2), decision="archivo")
    refresh()
    assert live(case).count() >= 7
    set_case(case, status="cerrado", closed_on=TODAY)
    refresh()
    assert not live(case).exists()
