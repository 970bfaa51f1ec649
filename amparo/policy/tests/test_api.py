"""/api/v1/policy/: the services with their place in the policy, and the request register."""

from datetime import date

import pytest

from amparo.policy import services

pytestmark = pytest.mark.django_db


def test_services_with_their_objective_guideline_and_provider(api, watchdog, structure):
    client = api(watchdog)
    body = client.get("/api/v1/policy/services/").json()
    assert body["count"] == 42
    first = body["results"][0]
    assert (first["instrument"], first["objective"], first["guideline"], first["code"],
            first["provider"]) == ("pnftp-2030", "OP1", "1.1", "S01", "MINCUL")
    assert client.get("/api/v1/policy/services/?provider=mtpe").json()["count"] == 1
    assert client.get("/api/v1/policy/services/?guideline=1.1").json()["count"] == 5
    pnat = client.get("/api/v1/policy/services/?instrument=pnat-2017-2021").json()
    assert pnat["count"] == 0


def test_requests_with_their_state(api, watchdog, ask):
    answered = ask(sent_on=date(2025, 5, 5))
    services.request_update(actor=watchdog, record=answered, data={
        "answered_on": date(2025, 5, 9), "completeness": "completa"})
    ask(sent_on=date(2025, 3, 3))
    client = api(watchdog)
    rows = client.get("/api/v1/policy/requests/?edition=2023-2024").json()["results"]
    assert [r["state"] for r in rows] == ["vencida", "respondida"]
    assert rows[0]["days_late"] > 0 and rows[1]["completeness"] == "completa"
    assert client.get("/api/v1/policy/requests/?state=respondida").json()["count"] == 1
    assert client.get("/api/v1/policy/requests/?state=perdida").status_code == 400
    assert client.get("/api/v1/policy/requests/?edition=1999-2000").status_code == 400


def test_case_roles_get_nothing(api, team, structure):
    assert api(team["caseworker"]).get("/api/v1/policy/services/").status_code == 403
