"""Walks every case URL and API endpoint, for every role, against records the role must not
reach: a case of another office, another worker's case, and psychological and legal notes."""

from datetime import date

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from amparo.audit.models import AccessEvent
from amparo.cases import services
from amparo.cases.models import Case
from amparo.legal.models import Defendant, Proceeding

PSYCH_NOTE = "Nota psicológica: trauma complejo, pesadillas."
LEGAL_NOTE = "Nota legal: la fiscalía archivó la denuncia contra el captor."
PDF = b"%PDF-1.4\n%%EOF\n"
TRAFFICKER = "Wilmer Huamán, alias el Tío"


def _patterns(resolver=None, prefix="", namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or namespace
            yield from _patterns(entry, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern) and namespace in ("cases", "api", "legal", "referrals",
                                                                   "monitoring"):
            yield f"{namespace}:{entry.name}", str(entry.pattern), entry


def _stored(case: Case) -> dict:
    """What is stored about the case, row by row: every table that points to the case or to
    one of its records, with each row's version when it has one. A refused request must leave
    it exactly as it was."""
    from django.apps import apps

    state = {"case": Case.objects.filter(pk=case.pk).values_list("version", "status").get(),
             "identity": case.person.identity.__class__.objects.filter(
                 person_id=case.person_id).values_list("version", flat=True).get()}
    for model in apps.get_models():
        if model is Case or model._meta.app_label in ("audit", "simple_history"):
            continue
        names = {f.name for f in model._meta.fields}
        if "case" not in names:
            continue
        rows = model.objects.filter(case=case).order_by("pk")
        state[model._meta.label] = list(
            rows.values_list("pk", "version") if "version" in names else rows.values_list("pk"))
    return state


def _fill(case: Case, records: dict):
    """Every case URL, with its parameters taken from this case's own records."""
    pk_for = {"cases:episode": records["episode"], "cases:document": records["document"],
              "cases:plan_approve": records["plan"], "cases:plan_action": records["action"],
              "legal:proceeding": records["proceeding"]}
    urls = []
    for name, route, _entry in _patterns():
        if "<str:code>" not in route:  # lists and intake: checked by what they show
            continue
        kwargs = {}
        if "<str:code>" in route:
            kwargs["code"] = case.code
        if "<uuid:pk>" in route or "<int:pk>" in route:
            kwargs["pk"] = pk_for[name].pk
        if "<int:goal>" in route:
            kwargs["goal"] = records["goal"].pk
        urls.append((name, reverse(name, kwargs=kwargs)))
    return urls


def _populate(case: Case, team) -> dict:
    worker = case.worker
    episode = services.episode_save(actor=worker, case=case, data={"kind": "captacion"},
                                    description="Relato de captación.")
    document = services.document_add(actor=worker, case=case, kind="otro", title="Informe",
                                     content=PDF)
    plan = services.plan_create(actor=worker, case=case, horizon="corto",
                                goals=[("educacion", "Volver a estudiar")])
    goal = plan.goals.get()
    action = services.plan_action_add(actor=worker, case=case, goal=goal, description="Matrícula",
                                      owner=None, due_on=None)
    # Written directly: the Cusco case and "others" have no lawyer to record it.
    proceeding = Proceeding(case=case, data_key=case.data_key, created_by=worker,
                            prosecutor_file="1-2025", stage_since=case.intake_date,
                            last_activity_on=case.intake_date)
    proceeding.save()
    defendant = Defendant(proceeding=proceeding, data_key=case.data_key, role="captador",
                          created_by=worker)
    defendant.seal("details", f'{{"name": "{TRAFFICKER}"}}')
    defendant.save()
    return {"episode": episode, "document": document, "plan": plan, "goal": goal,
            "action": action, "proceeding": proceeding}


@pytest.fixture
def world(team, make_case):
    cusco = make_case(office_code="cusco")
    others = make_case(worker=team["other_caseworker"])
    others.psychologist = others.lawyer = None
    others.save(update_fields=["psychologist", "lawyer"])
    noted = make_case()
    services.note_add(actor=team["psychologist"], case=noted, text=PSYCH_NOTE,
                      sensitivity="psychological")
    services.note_add(actor=team["lawyer"], case=noted, text=LEGAL_NOTE, sensitivity="legal")
    return {
        "cusco": (cusco, _populate(cusco, team)),
        "others": (others, _populate(others, team)),
        "noted": (noted, _populate(noted, team)),
    }


# Who must be kept out of each target. The director reads every office; the coordinator every
# case of her office; team members only their own cases.
OUT_OF_SCOPE = {
    "cusco": ["caseworker", "psychologist", "lawyer", "coordinator", "prevention", "researcher",
              "admin"],
    "others": ["caseworker", "psychologist", "lawyer", "prevention", "researcher", "admin",
               "cusco_coordinator", "cusco_caseworker"],
}


@pytest.mark.parametrize("target", sorted(OUT_OF_SCOPE))
def test_no_url_or_endpoint_reaches_a_case_out_of_scope(world, team, client, target):
    case, records = world[target]
    urls = _fill(case, records)
    assert len(urls) >= 25, "the walk must cover the pages and the API"
    stored = _stored(case)
    for role in OUT_OF_SCOPE[target]:
        client.force_login(team[role])
        for _name, url in urls:
            for method in ("get", "post"):
                before = AccessEvent.objects.filter(object_id=case.code).count()
                response = getattr(client, method)(url)
                # 405: the endpoint has no such method and never looks at the case.
                assert response.status_code in (403, 404, 405), (role, method, url,
                                                                  response.status_code)
                assert AccessEvent.objects.filter(object_id=case.code).count() == before
        listing = client.get("/casos/?vista=oficina")
        assert case.code not in listing.content.decode()
        api_list = client.get("/api/v1/cases/")
        assert case.code not in api_list.content.decode()
        # Searching for it, by code, in the page and through the API, finds nothing either.
        searched = client.post("/casos/", {"vista": "oficina", "q": case.code}, follow=True)
        assert searched.status_code == 403 or not searched.context["page"].object_list
        api_searched = client.post("/api/v1/cases/search/", {"q": case.code},
                                   content_type="application/json")
        assert api_searched.status_code in (200, 403)
        assert case.code not in api_searched.content.decode()
    assert _stored(case) == stored, "a refused request changed what is stored"


def test_writes_are_refused_to_roles_that_only_read(world, team, client):
    case, records = world["cusco"]
    client.force_login(team["director"])
    for name, url in _fill(case, records):
        if name == "cases:document":
            continue
        response = client.post(url, {"text": "x", "kind": "otro"})
        assert response.status_code in (403, 404, 405), (name, url, response.status_code)


@pytest.mark.parametrize("role", ["caseworker", "lawyer", "coordinator", "director",
                                  "other_psychologist"])
def test_psychological_notes_stay_with_the_cases_psychologist(world, team, client, role):
    case, records = world["noted"]
    client.force_login(team[role])
    for _name, url in _fill(case, records):
        response = client.get(url)
        assert PSYCH_NOTE.encode() not in response.content, (role, url)
    client.force_login(team["psychologist"])
    assert PSYCH_NOTE in client.get(reverse("cases:notes", args=[case.code])).content.decode()
    assert PSYCH_NOTE in client.get(f"/api/v1/cases/{case.code}/notes/").content.decode()


@pytest.mark.parametrize("role", ["caseworker", "psychologist", "coordinator", "director",
                                  "other_lawyer"])
def test_legal_notes_stay_with_the_cases_lawyer(world, team, client, role):
    case, records = world["noted"]
    client.force_login(team[role])
    for _name, url in _fill(case, records):
        assert LEGAL_NOTE.encode() not in client.get(url).content, (role, url)
    client.force_login(team["lawyer"])
    assert LEGAL_NOTE in client.get(f"/api/v1/cases/{case.code}/notes/").content.decode()


def test_every_successful_read_of_case_data_leaves_an_access_event(world, team, client):
    case, records = world["noted"]
    client.force_login(team["coordinator"])
    for _name, url in _fill(case, records):
        before = AccessEvent.objects.count()
        response = client.get(url)
        if response.status_code == 405:  # write-only endpoints
            continue
        assert 200 <= response.status_code < 300, (url, response.status_code)
        assert AccessEvent.objects.count() > before, url
        event = AccessEvent.objects.latest("id")
        assert event.actor == team["coordinator"] and event.action == "view"
        assert case.code in (event.object_id, *event.object_ids)


def test_a_closed_case_accepts_no_new_records(world, team):
    from django.core.exceptions import ValidationError

    case, _records = world["noted"]
    case = services.case_close(actor=team["coordinator"], case=case, version=case.version,
                               reason="objetivos_cumplidos", outcomes=["estudios"])
    with pytest.raises(ValidationError):
        services.note_add(actor=team["caseworker"], case=case, text="tarde")
    case = services.case_reopen(actor=team["coordinator"], case=case, version=case.version,
                                reason="Volvió a pedir apoyo")
    assert services.note_add(actor=team["caseworker"], case=case, text="de nuevo")
    assert date.today()  # the reopened case is open again


@pytest.mark.parametrize("role", ["caseworker", "psychologist", "director", "other_lawyer"])
def test_defendants_stay_with_the_cases_lawyer_and_the_coordinator(world, team, client, role):
    case, records = world["noted"]
    client.force_login(team[role])
    for _name, url in _fill(case, records):
        assert TRAFFICKER.encode() not in client.get(url).content, (role, url)
    for who in ("lawyer", "coordinator"):
        client.force_login(team[who])
        page = client.get(reverse("legal:proceeding", args=[case.code, records["proceeding"].pk]))
        assert TRAFFICKER in page.content.decode()


NEW_PAGES = {  # issue 16: who reaches each of the pages it added
    "/casos/emergencia/": {"caseworker", "psychologist", "lawyer", "coordinator"},
    "/casos/emergencia/registro/": {"coordinator", "director"},
    "/gestion/tokens/": {"admin"},
    "/gestion/usuarios/roles-por-aprobar/": {"director", "admin"},
}


@pytest.mark.parametrize("role", ["caseworker", "psychologist", "lawyer", "coordinator",
                                  "director", "researcher", "prevention", "admin"])
def test_the_access_walk_covers_the_new_pages(team, client, login, role):
    login(team[role])
    for url, allowed in NEW_PAGES.items():
        status = client.get(url).status_code
        assert status == (200 if role in allowed else 403), (role, url, status)
        if role not in allowed:
            assert client.post(url, {"action": "break", "code": "LIM-2026-0001",
                                     "reason": "x" * 40, "hours": 2}).status_code == 403
