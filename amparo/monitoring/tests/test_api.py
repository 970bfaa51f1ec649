"""/api/v1/alerts/ and /api/v1/cases/<code>/risk-assessments/: the inbox and the risk tool for a
program, within the user's scope, with every read recorded."""

from datetime import timedelta

import pytest
from django.utils import timezone

from amparo.audit.models import AccessEvent
from amparo.monitoring.models import RiskAssessment
from amparo.monitoring.refresh import alerts_refresh
from amparo.monitoring.tests.helpers import follow_up, set_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def unreached(make_case):
    """A Lima case and a Cusco case nobody reached for 90 days."""
    today = timezone.localdate()
    cases = [make_case(), make_case(office_code="cusco")]
    for case in cases:
        set_case(case, intake_date=today - timedelta(days=400))
        follow_up(case, today - timedelta(days=90))
    alerts_refresh()
    return cases


def test_the_alerts_are_those_of_the_users_cases_and_the_read_is_recorded(
        team, unreached, api):
    lima, _cusco = unreached
    body = api(team["coordinator"]).get("/api/v1/alerts/?kind=sin_contacto").json()
    assert {a["case"] for a in body["results"]} == {lima.code}
    assert all(a["kind"] == "sin_contacto" for a in body["results"])
    event = AccessEvent.objects.filter(section="alerts").latest("id")
    assert event.object_ids == [lima.code] and event.actor == team["coordinator"]


def test_unknown_filters_are_refused_with_the_valid_values(team, unreached, api):
    client = api(team["coordinator"])
    kind = client.get("/api/v1/alerts/?kind=perdida")
    assert kind.status_code == 400 and "sin_contacto" in kind.json()["kind"][0]
    status = client.get("/api/v1/alerts/?status=olvidada")
    assert status.status_code == 400 and "pendientes" in status.json()["status"][0]


def test_a_role_without_alerts_gets_403(team, unreached, api):
    assert api(team["researcher"]).get("/api/v1/alerts/").status_code == 403


def test_a_risk_assessment_is_scored_listed_and_created_once(team, make_case, api):
    case = make_case()
    client = api(team["caseworker"])
    url = f"/api/v1/cases/{case.code}/risk-assessments/"
    body = {"assessed_on": str(timezone.localdate()), "answers": ["deudas"],
            "notes": "Debe dinero al reclutador."}
    first = client.post(url, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="r-1")
    again = client.post(url, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="r-1")
    assert (first.status_code, again.status_code) == (201, 200)
    assert RiskAssessment.objects.filter(case=case).count() == 1
    [listed] = client.get(url).json()
    assert listed["answers"] == ["deudas"] and listed["score"] > 0
    assert listed["notes"] == "Debe dinero al reclutador."
    future = {**body, "assessed_on": str(timezone.localdate() + timedelta(days=3))}
    refused = client.post(url, future, content_type="application/json")
    assert refused.status_code == 400 and "assessed_on" in refused.json()
