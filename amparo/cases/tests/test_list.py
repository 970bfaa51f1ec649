from datetime import date

from django.test import Client
from django.urls import reverse

from amparo.cases import selectors, services


def _codes(response):
    return {c.code for c in response.context["page"]}


def _search(client, text, **filters):
    """As a browser without JavaScript: posted, then shown at the token's address."""
    return client.post(reverse("cases:list"), {"vista": "oficina", "q": text, **filters},
                       follow=True)


def test_search_ignores_accents_and_case_and_finds_documents(team, make_case, login, client):
    found = make_case(identity={"given_names": "Yésica", "paternal_surname": "Ñahui",
                                "document_number": "71234567"})
    other = make_case()
    login(team["coordinator"])
    assert _codes(_search(client, "yesica nahui")) == {found.code}
    assert _codes(_search(client, "ÑAHUI")) == {found.code}
    assert _codes(_search(client, "71 234 567")) == {found.code}
    assert _codes(_search(client, other.code.lower())) == {other.code}
    assert _codes(_search(client, found.person.code)) == {found.code}


def test_filters_by_status_minor_and_form_of_exploitation(team, make_case):
    adult = make_case()
    child = make_case(identity={"birth_date": date(2012, 2, 2)}, case={"guardian_type": "car"})
    services.episode_save(actor=team["caseworker"], case=child,
                          data={"kind": "explotacion", "forms": ["mendicidad"]})
    user = team["coordinator"]
    assert {c.code for c in selectors.case_list(user, minor=True)} == {child.code}
    assert {c.code for c in selectors.case_list(user, form="mendicidad")} == {child.code}
    assert {c.code for c in selectors.case_list(user, status="abiertos")} == {adult.code,
                                                                              child.code}
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
    assert not _codes(_search(client, "ccorimanya"))


def test_a_search_never_travels_in_the_address(team, make_case, login, client):
    """Issue 16, finding 13: the name goes in the body; the address (history, access logs)
    carries only a token that means something in this session alone."""
    found = make_case(identity={"given_names": "Yésica", "paternal_surname": "Ñahui"})
    login(team["coordinator"])
    response = client.post(reverse("cases:list"), {"vista": "oficina", "q": "Yésica Ñahui",
                                                   "status": "abiertos"})
    address = response["Location"]
    assert response.status_code == 302 and "busqueda=" in address and "status=abiertos" in address
    assert "hui" not in address.lower() and "sica" not in address.lower()
    page = client.get(address)
    assert _codes(page) == {found.code}
    assert 'value="Yésica Ñahui"' in page.content.decode()  # the box still shows it
    # With htmx the rows come back at once, and the pushed address holds the token.
    rows = client.post(reverse("cases:list"), {"vista": "oficina", "q": "Yésica Ñahui"},
                       headers={"HX-Request": "true"})
    assert _codes(rows) == {found.code} and "busqueda=" in rows["HX-Push-Url"]
    assert "hui" not in rows["HX-Push-Url"].lower()
    # An old link with ?q= is moved to a token before anything is shown.
    old = client.get(reverse("cases:list") + "?vista=oficina&q=nahui")
    assert old.status_code == 302 and "nahui" not in old["Location"]
    # The token means nothing in another session.
    other = Client()
    login(team["coordinator"], client=other)
    shown = other.get(address)
    assert len(list(shown.context["messages"])) == 1  # "that search was forgotten…"
    assert 'value="Yésica' not in shown.content.decode()


def test_the_next_page_is_the_next_page(team, make_case, login, client, monkeypatch):
    """The page number survives the filters (it was read from the cleaned filters: page 1)."""
    monkeypatch.setattr("amparo.core.pages.PAGE_SIZE", 1)
    make_case()
    make_case()
    login(team["coordinator"])
    shown = client.get(reverse("cases:list") + "?vista=oficina&status=abiertos&page=2")
    assert shown.context["page"].number == 2
