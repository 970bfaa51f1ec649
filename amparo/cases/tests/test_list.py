from datetime import date

from django.urls import reverse

from amparo.cases import selectors, services


def _codes(response):
    return {c.code for c in response.context["page"]}


def test_search_ignores_accents_and_case_and_finds_documents(team, make_case, login, client):
    found = make_case(identity={"given_names": "Yésica", "paternal_surname": "Ñahui",
                                "document_number": "71234567"})
    other = make_case()
    login(team["coordinator"])
    url = reverse("cases:list") + "?vista=oficina&q="
    assert _codes(client.get(url + "yesica nahui")) == {found.code}
    assert _codes(client.get(url + "ÑAHUI")) == {found.code}
    assert _codes(client.get(url + "71 234 567")) == {found.code}
    assert _codes(client.get(url + other.code.lower())) == {other.code}
    assert _codes(client.get(url + found.person.code)) == {found.code}


def test_filters_by_status_minor_and_form_of_exploitation(team, make_case):
    adult = make_case()
    child = make_case(identity={"birth_date": date(2012, 2, 2)}, case={"guardian_type": "car"})
    services.episode_save(actor=team["caseworker"], case=child,
                          data={"kind": "explotacion", "forms": ["mendicidad"]})
    user = team["coordinator"]
    assert {c.code for c in selectors.case_list(user, minor=True)} == {child.code}
    assert {c.code for c in selectors.case_list(user, form="mendicidad")} == {child.code}
    assert {c.code for c in selectors.case_list(user, status="abiertos")} == {adult.code, child.code}
    assert not selectors.case_list(user, status="cerrado").exists()


def test_my_cases_are_the_ones_where_i_am_on_the_team(team, make_case, login, client):
    mine = make_case()
    make_case(worker=team["other_caseworker"])
    login(team["caseworker"])
    assert _codes(client.get(reverse("cases:list"))) == {mine.code}
    login(team["coordinator"])
    assert len(_codes(client.get(reverse("cases:list") + "?vista=oficina"))) == 2


def test_a_search_by_name_does_not_reach_cases_out_of_scope(team, make_case, login, client):
    make_case(office_code="cusco", identity={"paternal_surname": "Ccorimanya"})
    login(team["coordinator"])
    assert not _codes(client.get(reverse("cases:list") + "?vista=oficina&q=ccorimanya"))
