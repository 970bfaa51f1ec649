"""The results pages and API: who reaches them, what they show, pinned query counts."""

from datetime import date
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

pytestmark = pytest.mark.django_db


def test_the_director_and_coordinators_read_results_and_case_workers_do_not(
        client, login, team, framework, served):
    url = reverse("results:framework", args=["prueba"]) + "?periodo=2026-04-01_2026-06-30"
    login(team["director"])
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Víctimas atendidas" in page and "Calcular" in page
    login(team["coordinator"])
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "los números de su oficina" in page and "Calcular" not in page
    assert client.post(url, {"action": "compute", "indicator": 1}).status_code == 404
    for role in ("caseworker", "prevention", "researcher"):
        login(team[role])
        assert client.get(url).status_code == 403


def test_the_director_computes_and_locks_on_the_page(client, login, team, framework, served):
    from amparo.results.models import Value

    login(team["director"])
    people = framework.indicators.get(code="V")
    url = reverse("results:framework", args=["prueba"]) + "?periodo=2026-04-01_2026-06-30"
    for action in ("compute", "enviado", "aprobado", "cerrado"):
        assert client.post(url, {"action": action, "indicator": people.pk}).status_code == 302
    assert Value.objects.get(indicator=people).status == "cerrado"


def test_a_published_download_hides_small_counts(client, login, team, framework, served):
    login(team["director"])
    url = reverse("results:framework", args=["prueba"])
    book = load_workbook(BytesIO(client.get(
        url + "?periodo=2026-04-01_2026-06-30&formato=xlsx").content))
    rows = list(book.active.iter_rows(values_only=True))
    people = next(r for r in rows if r[0] == "V")
    assert people[4] == "<10"


def test_the_indicator_page_shows_its_breakdowns_and_periods(client, login, team, framework,
                                                            served):
    login(team["director"])
    page = client.get(reverse("results:indicator", args=["prueba", "V"])
                      + "?periodo=2026-01-01_2026-03-31", HTTP_ACCEPT_LANGUAGE="es")
    text = page.content.decode()
    assert page.status_code == 200 and "no registrado" in text and "2026-T2" in text


@pytest.mark.parametrize("name, args, queries", [
    ("results:index", (), 15), ("results:framework", ("prueba",), 23),
    ("results:indicator", ("prueba", "V"), 34)])
def test_results_pages_have_a_fixed_number_of_queries(client, login, team, framework, served,
                                                      make_case, serve, name, args, queries,
                                                      audit_lock, django_assert_num_queries):
    login(team["director"])
    url = reverse(name, args=args)
    client.get(url)
    with django_assert_num_queries(queries + audit_lock):
        assert client.get(url).status_code == 200
    for n in range(6):  # more survivors served, in both offices: the same queries
        case = make_case(office_code="cusco" if n % 2 else "lima", identity={
            "given_names": f"Persona {n}", "document_number": f"4{n}765432"},
            case={"intake_date": date(2026, 1, 10 + n)})
        serve(case, date(2026, 2, 10 + n))
        serve(case, date(2026, 5, 10 + n))
    with django_assert_num_queries(queries + audit_lock):
        assert client.get(url).status_code == 200


def test_the_api_answers_values_with_their_breakdown(api, team, framework, served):
    client = api(team["director"])
    listed = client.get("/api/v1/indicators/?framework=prueba").json()
    assert [i["code"] for i in listed["results"]] == ["V", "S", "P", "F"]
    body = client.get("/api/v1/indicators/V/values/?from=2026-01-01&to=2026-12-31&by=sex",
                      HTTP_ACCEPT_LANGUAGE="es").json()
    assert body["value"] == "3.00" and body["records_read"] == 4
    assert sum(body["breakdown"].values()) == 3
    bad = client.get("/api/v1/indicators/V/values/?from=2026-01-01&to=2026-12-31&by=color")
    assert bad.status_code == 400
    assert api(team["caseworker"]).get("/api/v1/indicators/").status_code == 403
