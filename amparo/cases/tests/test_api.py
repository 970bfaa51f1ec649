import pytest

from amparo.audit.models import AccessEvent
from amparo.cases.models import Case, Note
from amparo.cases.tests.samples import IDENTITY

NEW_CASE = {
    "office": "lima", "arrival": "policia", "victim_status": "presunta",
    "intake_date": "2026-04-02",
    "identity": {**IDENTITY, "birth_date": "2001-03-14"},
    "contacts": "+51 999 111 222",
}


def test_a_token_reads_the_cases_in_its_users_scope(team, make_case, api):
    mine, theirs = make_case(), make_case(office_code="cusco")
    client = api(team["caseworker"])
    body = client.get("/api/v1/cases/").json()
    assert [c["code"] for c in body["results"]] == [mine.code]
    assert client.get(f"/api/v1/cases/{theirs.code}/").status_code == 404
    event = AccessEvent.objects.filter(section="list").latest("id")
    assert event.object_ids == [mine.code] and event.actor == team["caseworker"]


def test_a_bad_or_missing_token_is_refused(make_case, client):
    make_case()
    assert client.get("/api/v1/cases/").status_code in (401, 403)
    client.defaults["HTTP_AUTHORIZATION"] = "Bearer amp_nope_nope"
    assert client.get("/api/v1/cases/").status_code == 401


def test_create_is_idempotent_with_a_key(team, api):
    client = api(team["caseworker"])
    first = client.post("/api/v1/cases/", NEW_CASE, content_type="application/json",
                        HTTP_IDEMPOTENCY_KEY="intake-77")
    again = client.post("/api/v1/cases/", NEW_CASE, content_type="application/json",
                        HTTP_IDEMPOTENCY_KEY="intake-77")
    assert first.status_code == 201 and again.status_code == 200
    assert first.json()["code"] == again.json()["code"] and Case.objects.count() == 1


def test_create_refusals_say_what_is_wrong(team, api):
    client = api(team["caseworker"])
    bad = {**NEW_CASE, "identity": {**NEW_CASE["identity"], "document_number": "12"}}
    response = client.post("/api/v1/cases/", bad, content_type="application/json")
    assert response.status_code == 400 and "document_number" in response.json()
    assert not Case.objects.exists()


def test_update_needs_if_match_and_refuses_a_stale_version(team, make_case, api):
    case = make_case()
    client = api(team["caseworker"])
    url = f"/api/v1/cases/{case.code}/"
    etag = client.get(url)["ETag"]
    missing = client.patch(url, {"priority": "alta"}, content_type="application/json")
    assert missing.status_code == 428
    ok = client.patch(url, {"priority": "alta"}, content_type="application/json",
                      HTTP_IF_MATCH=etag)
    assert ok.status_code == 200 and ok["ETag"] != etag
    stale = client.patch(url, {"priority": "baja"}, content_type="application/json",
                         HTTP_IF_MATCH=etag)
    assert stale.status_code == 412
    assert stale.json()["changes"][0]["now"] in ("High", "Alta")
    case.refresh_from_db()
    assert case.priority == "alta"


def test_notes_keep_their_sensitivity(team, make_case, api):
    case = make_case()
    url = f"/api/v1/cases/{case.code}/notes/"
    psychologist = api(team["psychologist"])
    assert psychologist.post(url,
                             {"text": "Sesión 1: ansiedad alta.", "sensitivity": "psychological"},
                             content_type="application/json").status_code == 201
    assert psychologist.post(url, {"text": "Llamó a su madre."},
                             content_type="application/json").status_code == 201
    assert {n["sensitivity"] for n in psychologist.get(url).json()} == {"general", "psychological"}
    caseworker = api(team["caseworker"])
    assert [n["text"] for n in caseworker.get(url).json()] == ["Llamó a su madre."]
    refused = caseworker.post(url, {"text": "x", "sensitivity": "psychological"},
                              content_type="application/json")
    assert refused.status_code == 400 and Note.objects.count() == 2


@pytest.mark.parametrize("path, payload", [
    ("follow-ups", {"contacted_on": "2026-05-02", "channel": "telefono", "reached": False}),
    ("services", {"kind": "sesion_psicologica", "mode": "remoto", "delivered_on": "2026-05-02",
                  "minutes": 50}),
    # the duration is optional in the schema: leaving it out is a record, not a 500
    ("services", {"kind": "asesoria_legal", "mode": "presencial", "delivered_on": "2026-05-02"}),
    ("episodes", {"kind": "explotacion", "place_ubigeo": "170101", "forms": ["explotacion_laboral"],
                  "sector": "B", "description": "Campamento minero."}),
    ("consents", {"scope": "investigacion", "given": True, "decided_on": "2026-05-02",
                  "given_by": "sobreviviente"}),
    ("assessments", {"assessed_on": "2026-05-02", "scores": {"salud": 2, "vivienda": 4}}),
])
def test_nested_records_are_created_and_listed(team, make_case, api, path, payload):
    case = make_case()
    client = api(team["caseworker"])
    url = f"/api/v1/cases/{case.code}/{path}/"
    created = client.post(url, payload, content_type="application/json")
    assert created.status_code == 201, created.json()
    listed = client.get(url).json()
    assert [r["id"] for r in listed] == [created.json()["id"]]


def test_the_schema_describes_the_case_endpoints(team, api):
    client = api(team["caseworker"])
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.status_code == 200
    assert b"/api/v1/cases/{code}/notes/" in schema.content


def test_a_search_goes_in_the_body_never_in_the_address(team, make_case, api):
    """Issue 16, finding 13."""
    wanted = make_case(identity={"given_names": "Yésica", "paternal_surname": "Ñahui"})
    make_case()
    client = api(team["caseworker"])
    refused = client.get("/api/v1/cases/?q=nahui")
    assert refused.status_code == 400 and "/api/v1/cases/search/" in refused.json()["detail"]
    body = client.post("/api/v1/cases/search/", {"q": "yesica nahui"},
                       content_type="application/json").json()
    assert [c["code"] for c in body["results"]] == [wanted.code]
    assert client.post("/api/v1/cases/search/", {}, content_type="application/json"
                       ).status_code == 400
