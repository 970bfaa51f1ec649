"""/api/v1/cases/<code>/proceedings/: the lawyer's road for a program, same scope and audit as
the pages; defendants only for those who may see them; creates are idempotent."""

import pytest

from amparo.audit.models import AccessEvent
from amparo.legal.models import Proceeding

pytestmark = pytest.mark.django_db

NEW = {"prosecutor_file": "2026-118", "charges": ["129-A"], "stage": "diligencias_preliminares",
       "stage_since": "2026-03-02"}


def _url(case):
    return f"/api/v1/cases/{case.code}/proceedings/"


def test_a_lawyer_opens_a_proceeding_once_however_often_the_program_retries(
        team, make_case, api, directory):
    case = make_case()
    client = api(team["lawyer"])
    body = {**NEW, "prosecutor_office": directory["fistrap"].pk}
    first = client.post(_url(case), body, content_type="application/json",
                        HTTP_IDEMPOTENCY_KEY="fiscalia-118")
    again = client.post(_url(case), body, content_type="application/json",
                        HTTP_IDEMPOTENCY_KEY="fiscalia-118")
    assert (first.status_code, again.status_code) == (201, 200), first.json()
    assert first.json()["id"] == again.json()["id"]
    assert Proceeding.objects.filter(case=case).count() == 1
    other = client.post(_url(case), {**body, "prosecutor_file": "2026-999"},
                        content_type="application/json", HTTP_IDEMPOTENCY_KEY="fiscalia-118")
    assert other.status_code == 422 and "Idempotency-Key" in other.json()["detail"]
    assert Proceeding.objects.filter(case=case).count() == 1

    listed = client.get(_url(case)).json()
    assert [(p["prosecutor_file"], p["stage"], p["prosecutor_office"]) for p in listed] == [
        ("2026-118", "diligencias_preliminares", directory["fistrap"].pk)]
    assert "defendants" in listed[0]  # the lawyer may see who is accused
    read = AccessEvent.objects.filter(object_id=case.code, section="legal").latest("id")
    assert read.actor == team["lawyer"] and read.action == "view"


def test_a_bad_body_names_the_field_and_writes_nothing(team, make_case, api):
    case = make_case()
    response = api(team["lawyer"]).post(_url(case), {**NEW, "stage": "juicio_final"},
                                        content_type="application/json")
    assert response.status_code == 400 and "stage" in response.json()
    assert not Proceeding.objects.exists()


def test_out_of_scope_or_without_the_right_a_token_gets_nothing(team, make_case, api):
    theirs = make_case(office_code="cusco")
    client = api(team["lawyer"])
    assert client.get(_url(theirs)).status_code == 404
    assert client.post(_url(theirs), NEW, content_type="application/json").status_code == 404
    mine = make_case()
    psychologist = api(team["psychologist"])
    writes = psychologist.post(_url(mine), NEW, content_type="application/json")
    assert writes.status_code in (403, 404)
    assert not Proceeding.objects.exists()
