"""Issue 16, findings 8 and 9: nothing about a person stays in a browser's cache; any input
answers 400 or a message, never 500."""

from django.urls import reverse


def test_case_pages_and_api_answers_are_not_stored(client, login, team, make_case):
    case = make_case()
    login(team["caseworker"])
    for url in (reverse("cases:identity", args=[case.code]), f"/api/v1/cases/{case.code}/",
                reverse("home")):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"], url


def test_an_absurd_filter_is_left_out_with_a_message(client, login, team):
    login(team["lawyer"])
    response = client.get(reverse("legal:office") + "?sin_movimiento=99999999")
    assert response.status_code == 200
    assert "se dejó de lado" in response.content.decode()


def test_a_json_body_nested_too_deep_is_a_400(client, login, team, make_case):
    case = make_case()
    login(team["caseworker"])
    body = "[" * 100_000 + "]" * 100_000
    response = client.post(f"/api/v1/cases/{case.code}/notes/", body,
                           content_type="application/json")
    assert response.status_code == 400
    assert "anidado" in response.json()["detail"]


def test_an_unknown_ubigeo_is_refused_by_the_service_whatever_the_road(
        client, login, team, make_case):
    case = make_case()
    login(team["caseworker"])
    response = client.post(f"/api/v1/cases/{case.code}/episodes/",
                           {"kind": "explotacion", "place_ubigeo": "ZZZZZZ"},
                           content_type="application/json")
    assert response.status_code == 400
    assert "ZZZZZZ" in str(response.json())
    assert not case.episodes.exists()


def test_reading_traffickers_details_is_logged_as_such(client, login, team, make_case):
    from amparo.audit.models import AccessEvent

    case = make_case()
    login(team["lawyer"])
    client.get(reverse("cases:episodes", args=[case.code]))
    client.get(f"/api/v1/cases/{case.code}/proceedings/")
    assert AccessEvent.objects.filter(object_id=case.code, section="defendants").count() == 2
    login(team["caseworker"])  # who may not read them leaves no such event
    client.get(reverse("cases:episodes", args=[case.code]))
    assert AccessEvent.objects.filter(object_id=case.code, section="defendants").count() == 2


def test_the_api_schema_needs_a_signed_in_user(client, login, team):
    assert client.get("/api/v1/schema/").status_code in (401, 403)
    login(team["caseworker"])
    assert client.get("/api/v1/schema/").status_code == 200


def test_api_tokens_live_weeks_and_say_why(team):
    from io import StringIO

    import pytest
    from django.core.management import call_command
    from django.core.management.base import CommandError

    from amparo.audit.models import AccessEvent

    with pytest.raises(CommandError):
        call_command("token", "create", "lima.cw", "--days", "365", "--reason",
                     "Integración anual", stdout=StringIO(), stderr=StringIO())
    with pytest.raises(CommandError):
        call_command("token", "create", "lima.cw", "--reason", "x", stdout=StringIO(),
                     stderr=StringIO())
    call_command("token", "create", "lima.cw", "--reason", "Tablero de la oficina de Lima",
                 stdout=StringIO(), stderr=StringIO())
    event = AccessEvent.objects.get(object_type="api_token")
    assert "30 days" in event.reason and "Tablero de la oficina" not in event.reason
    from amparo.api.models import ApiToken

    assert ApiToken.objects.get(pk=event.object_id).reason == "Tablero de la oficina de Lima"


def test_the_api_is_throttled_per_user(client, login, team, monkeypatch):
    from django.core.cache import cache
    from rest_framework.throttling import UserRateThrottle

    cache.clear()
    monkeypatch.setattr(UserRateThrottle, "THROTTLE_RATES", {"user": "3/minute"})
    try:
        login(team["caseworker"])
        codes = [client.get("/api/v1/cases/").status_code for _ in range(4)]
        assert codes[:3] == [200, 200, 200] and codes[3] == 429
    finally:
        cache.clear()


def test_a_medical_report_opens_only_for_the_cases_psychologist(client, login, team, make_case):
    """Finding 5 (and 6 for titles): a medical or psychological report is the psychologist's,
    and an upload's file name never becomes its title."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from amparo.cases.models import CaseDocument

    case = make_case()
    login(team["caseworker"])
    response = client.post(reverse("cases:documents", args=[case.code]), {
        "kind": "medico", "title": "", "file": SimpleUploadedFile(
            "Informe_psicologico_Maria_Quispe.pdf", b"%PDF-1.4\n%%EOF\n",
            content_type="application/pdf")})
    assert response.status_code == 302
    document = CaseDocument.objects.get()
    assert document.sensitivity == "psychological"
    assert "Maria" not in document.title and "Quispe" not in document.title
    url = reverse("cases:document", args=[case.code, document.pk])
    assert client.get(url).status_code == 404  # she uploaded it; it is not hers to read
    assert url not in client.get(reverse("cases:documents", args=[case.code])).content.decode()
    for who, status in (("director", 404), ("psychologist", 200)):
        login(team[who])
        assert client.get(url).status_code == status, who
