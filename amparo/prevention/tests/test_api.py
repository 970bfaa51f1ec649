"""/api/v1/prevention/: a program records activities and attendance and asks how many distinct
people were trained, with the same scope and rules as the pages."""

import pytest

from amparo.prevention.models import Attendance, Participant

pytestmark = pytest.mark.django_db

ACTIVITY = {"kind": "capacitacion", "title": "Identificación de víctimas para fiscales",
            "office": "lima", "starts_on": "2023-09-12", "status": "realizada",
            "topics": ["trata", "identificacion"], "audiences": ["fiscales"], "hours": "8"}
PERSON = {"given_names": "Rosa", "surnames": "Quispe Mamani", "audience": "fiscales",
          "institution": "Fiscalía de Cusco", "department": "08", "sex": "mujer",
          "document_number": "45678912"}


def test_a_program_records_an_activity_and_its_attendance_once(team, api):
    client = api(team["prevention"])
    made = client.post("/api/v1/prevention/activities/", ACTIVITY,
                       content_type="application/json", HTTP_IDEMPOTENCY_KEY="taller-9")
    again = client.post("/api/v1/prevention/activities/", ACTIVITY,
                        content_type="application/json", HTTP_IDEMPOTENCY_KEY="taller-9")
    assert (made.status_code, again.status_code) == (201, 200), made.json()
    code = made.json()["code"]
    assert again.json()["code"] == code
    url = f"/api/v1/prevention/activities/{code}/attendance/"
    for key in ("a-1", "a-1", "a-2"):  # a retry, then the same person sent again
        assert client.post(url, PERSON, content_type="application/json",
                           HTTP_IDEMPOTENCY_KEY=key).status_code in (200, 201)
    assert Attendance.objects.count() == 1 and Participant.objects.count() == 1
    [row] = client.get(url).json()
    assert row["institution"] == "Fiscalía de Cusco" and "document_number" not in row
    assert "contact" not in row and row["completed"] is True


def test_the_reach_answers_distinct_people_by_audience_sex_and_department(team, api, training,
                                                                          attend):
    from datetime import date

    for day in (date(2021, 4, 1), date(2022, 4, 1)):
        attend(training(day=day))  # the same judge at two trainings
    attend(training(day=date(2023, 4, 1)), given_names="Luz", surnames="Flores",
           audience="fiscales", institution="Fiscalía de Puno", department="21")
    body = api(team["prevention"]).get(
        "/api/v1/prevention/reach/?from=2021-01-01&to=2024-06-30").json()
    assert body["total"] == 2 and body["by_audience"] == {"jueces": 1, "fiscales": 1}
    assert body["by_department"] == {"08": 1, "21": 1}


def test_bad_dates_and_other_roles_are_refused(team, api):
    client = api(team["prevention"])
    bad = client.get("/api/v1/prevention/reach/?from=01/01/2021&to=2024-06-30")
    assert bad.status_code == 400 and "2024-06-30" in bad.json()["from"][0]
    assert api(team["caseworker"]).get(
        "/api/v1/prevention/reach/?from=2021-01-01&to=2024-06-30").status_code == 403
    assert api(team["caseworker"]).post(
        "/api/v1/prevention/activities/", ACTIVITY, content_type="application/json"
    ).status_code == 403
