"""Alerts that follow the case as it changes: a service that can start or end a condition
recomputes that case's rules once its change is committed, the coordination is told of a high
alert at once, and the daily refresh then finds nothing left to do (issue 34)."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from amparo.audit.models import AccessEvent
from amparo.cases import services as case_services
from amparo.cases.access import cases_for_job
from amparo.monitoring.choices import Kind, Severity
from amparo.monitoring.models import Alert, AlertEvent
from amparo.monitoring.refresh import alerts_refresh
from amparo.monitoring.selectors import inbox, last_run

pytestmark = pytest.mark.django_db


def test_a_threat_at_a_follow_up_opens_a_high_alert_in_the_same_request(
        client, login, team, make_case, mailoutbox, django_capture_on_commit_callbacks):
    case = make_case()
    coordinator = team["coordinator"]
    coordinator.email = "coordinacion.lima@amparo.example"
    coordinator.save(update_fields=["email"])
    login(team["caseworker"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("cases:follow_ups", args=[case.code]), {
            "contacted_on": timezone.localdate().isoformat(), "channel": "telefono",
            "reached": "si", "risk_signs": ["amenazas"], "wellbeing": "", "note": ""},
            HTTP_ACCEPT_LANGUAGE="es")
    # The next step offered is the risk assessment, and she is told why.
    assert response.status_code == 302
    assert response["Location"] == reverse("monitoring:risk", args=[case.code])
    page = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "se abrió una alerta alta y se avisó a la coordinación" in page
    alert = Alert.objects.get(case=case, kind=Kind.RISK_SIGN, ended_on__isnull=True)
    assert alert.severity == Severity.HIGH and alert.since == timezone.localdate()
    assert alert in inbox(team["coordinator"])  # in her inbox now, not tomorrow
    told = [m for m in mailoutbox if team["coordinator"].email in m.to]
    assert len(told) == 1 and case.code in told[0].subject + told[0].body
    for secret in ("Rosa Elena", "Quispe", "45871236"):  # nothing of hers leaves by e-mail
        assert secret not in told[0].subject + told[0].body
    assert AccessEvent.objects.filter(section="alert_mail", actor=team["coordinator"],
                                      object_ids=[case.code]).exists()
    # The daily run, the safety net, finds nothing more to do; the inbox's "computed at" is
    # still the daily run's, not the case's.
    run = alerts_refresh()
    assert (run.opened, run.ended, run.escalated, run.woke) == (0, 0, 0, 0)
    assert last_run() == run


def test_a_follow_up_that_reached_her_without_signs_ends_the_alert_at_once(
        team, make_case, django_capture_on_commit_callbacks):
    case = make_case()
    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        case_services.follow_up_record(actor=team["caseworker"], case=case, contacted_on=today,
                                       channel="telefono", reached=True, risk_signs=["deudas"])
    assert Alert.objects.filter(case=case, kind=Kind.RISK_SIGN, ended_on__isnull=True).exists()
    with django_capture_on_commit_callbacks(execute=True):
        case_services.follow_up_record(actor=team["caseworker"], case=case, contacted_on=today,
                                       channel="visita", reached=True)
    assert not Alert.objects.filter(case=case, kind=Kind.RISK_SIGN,
                                    ended_on__isnull=True).exists()


def test_a_change_that_rolls_back_recomputes_nothing(team, make_case,
                                                     django_capture_on_commit_callbacks):
    case = make_case()
    next_year = timezone.localdate().replace(year=timezone.localdate().year + 1)
    with (django_capture_on_commit_callbacks(execute=True) as callbacks,
          pytest.raises(ValidationError)):  # a date in the future is refused
        case_services.follow_up_record(actor=team["caseworker"], case=case, channel="telefono",
                                       reached=True, contacted_on=next_year,
                                       risk_signs=["amenazas"])
    assert callbacks == [] and not Alert.objects.filter(case=case).exists()


def _live():
    return sorted(Alert.objects.filter(ended_on__isnull=True).values_list(
        "rule_id", "case_id", "subject", "severity", "status", "since", "due_on", "count"))


def test_case_by_case_and_the_daily_run_give_the_same_alerts_on_the_demo_data(settings,
                                                                              tmp_path):
    """The demo's cases, every rule: computed case by case (as changes recompute them) and all
    at once (the daily run), the same live alerts, field for field."""
    settings.AMPARO_DEMO, settings.VAR_DIR = True, tmp_path
    call_command("seed", "--cases", "150", stdout=StringIO())
    alerts_refresh()
    daily = _live()
    assert len(daily) > 20  # the demo has alerts of many kinds to compare
    AlertEvent.objects.all().delete()
    Alert.objects.all().delete()
    every = sorted(cases_for_job("alerts").values_list("pk", flat=True))
    for start in range(0, len(every), 7):  # a few cases at a time, as a merge or import would
        alerts_refresh(cases=every[start:start + 7])
    assert _live() == daily
    run = alerts_refresh()
    assert (run.opened, run.ended, run.escalated, run.woke) == (0, 0, 0, 0)
    assert {row[1] for row in daily} <= set(every)  # the loop covered every alerted case
