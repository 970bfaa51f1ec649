"""The research pages and API: who reaches what, the director's fresh second factor, pinned
query counts."""

import pytest
from django.urls import reverse

from amparo.conftest import second_factor_given
from amparo.research import services

pytestmark = pytest.mark.django_db


def test_researchers_reach_their_studies_and_case_roles_see_no_workspace(
        client, login, team, study, make_user):
    record = study()
    login(team["researcher"])
    page = client.get(reverse("research:study", args=[record.pk]), HTTP_ACCEPT_LANGUAGE="es")
    assert page.status_code == 200 and "Exportar CSV" in page.content.decode()
    login(make_user("researcher", username="otra"))
    assert client.get(reverse("research:study", args=[record.pk])).status_code == 404
    for role in ("caseworker", "coordinator", "prevention"):
        login(team[role])
        assert client.get(reverse("research:study", args=[record.pk])).status_code == 403
        assert client.get(reverse("research:coding", args=[record.pk])).status_code == 403
    login(team["caseworker"])
    assert client.get(reverse("research:index")).status_code == 302  # to the excerpt page
    assert client.get(reverse("research:excerpts")).status_code == 200


def test_the_director_decides_in_writing_with_a_fresh_second_factor(client, login, team,
                                                                     study):
    record = study(approve=False)
    services.study_submit(actor=team["researcher"], study=record)
    director = team["director"]
    login(director)
    url = reverse("research:study", args=[record.pk])
    second_factor_given(client, director, seconds_ago=3600)
    stale = client.post(url, {"action": "approve", "decision": "Aprobado por la dirección."})
    assert stale.status_code == 302 and "reauthenticate" in stale["Location"]
    second_factor_given(client, director)
    short = client.post(url, {"action": "approve", "decision": "Sí"}, HTTP_ACCEPT_LANGUAGE="es")
    assert "Escriba la decisión y sus razones" in short.content.decode()
    done = client.post(url, {"action": "approve",
                             "decision": "Aprobado: consentimiento vigente y k = 5."})
    assert done.status_code == 302
    record.refresh_from_db()
    assert record.status == "aprobado" and record.decided_by == director


def test_the_export_download_asks_for_a_fresh_second_factor(client, login, team, study):
    record = study()
    login(team["researcher"])
    second_factor_given(client, team["researcher"], seconds_ago=3600)
    url = reverse("research:export", args=[record.pk, "csv"])
    assert "reauthenticate" in client.get(url)["Location"]
    second_factor_given(client, team["researcher"])
    answer = client.get(url)
    assert answer.status_code == 200 and answer["Content-Type"].startswith("text/csv")


@pytest.mark.parametrize("name, queries", [
    ("research:index", 15), ("research:study", 27), ("research:ledger", 19)])
def test_research_pages_have_a_fixed_number_of_queries(client, login, team, study, name,
                                                       queries, audit_lock,
                                                       django_assert_num_queries):
    record = study()
    services.release_make(actor=team["researcher"], study=record, dimension="sex",
                          first_year=2021, last_year=2023, epsilon="0.2")
    login(team["researcher"])
    url = reverse(name, args=[record.pk] if name == "research:study" else [])
    client.get(url)
    with django_assert_num_queries(queries + audit_lock):
        assert client.get(url).status_code == 200
    study(code="otro")  # another study, more releases: the same queries
    for dimension, first in (("sex", 2020), ("nationality", 2021), ("form", 2022)):
        services.release_make(actor=team["researcher"], study=record, dimension=dimension,
                              first_year=first, last_year=2023, epsilon="0.1")
    with django_assert_num_queries(queries + audit_lock):
        assert client.get(url).status_code == 200


def test_the_api_lists_exports_and_counts_with_noise(api, team, study):
    record = study()
    client = api(team["researcher"])
    listed = client.get("/api/v1/research/studies/").json()
    assert [s["code"] for s in listed["results"]] == ["trayectorias"]
    exported = client.get(f"/api/v1/research/studies/{record.pk}/export/?format=csv")
    assert exported.status_code == 200 and b"researchId" in exported.content
    url = f"/api/v1/research/statistics/?by=sex&study={record.pk}&from=2021&to=2023&epsilon=0.3"
    first = client.get(url).json()
    assert first["spent_now"] and first["epsilon"] == "0.300" and "mujer" in first["counts"]
    assert client.get(url).json()["spent_now"] is False
    bad = client.get(f"/api/v1/research/statistics/?by=district&study={record.pk}"
                     "&from=2021&to=2023", HTTP_ACCEPT_LANGUAGE="es")
    assert bad.status_code == 400 and "Cuente por uno de" in str(bad.json())
    assert api(team["caseworker"]).get("/api/v1/research/studies/").status_code == 403


@pytest.mark.parametrize("epsilon", ["NaN", "nan", "inf", "-Infinity", "-0.5", "1e999999",
                                     "sNaN", "0.3abc"])
def test_a_strange_epsilon_is_a_400_with_what_to_do_never_a_500(api, team, study, epsilon):
    """Issue 32, finding 7: epsilon=NaN (and inf, negative, huge) was a 500."""
    record = study()
    client = api(team["researcher"])
    response = client.get("/api/v1/research/statistics/", {
        "by": "sex", "study": record.pk, "from": 2021, "to": 2023, "epsilon": epsilon},
        HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 400, response.content
    assert "epsilon" in response.json()
