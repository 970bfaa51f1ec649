"""Testimonies: de-identified by the case team and checked, coded by two researchers, their
agreement measured with Cohen's kappa; psychological notes only when the protocol and the
professional allow."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from amparo.cases.services import episode_save, note_add
from amparo.research import agreement, deid, selectors, services

pytestmark = pytest.mark.django_db


def test_kappa_on_a_known_table():
    # 50 excerpts: both yes 20, only A 5, only B 10, both no 15 → po 0.7, pe 0.5, κ 0.4
    pairs = [(True, True)] * 20 + [(True, False)] * 5 + [(False, True)] * 10 + [
        (False, False)] * 15
    assert agreement.kappa(pairs) == 0.4
    assert agreement.kappa([(True, True), (False, False)]) == 1.0
    assert agreement.kappa([]) is None
    assert agreement.reading(0.4) == "aceptable"


def test_names_places_dates_and_numbers_become_tags(db):
    text = ("Rosa Quispe salió de Iquitos el 12 de marzo de 2019 con alias Cholo Juan; tenía "
            "15 años. Su DNI 41234567 quedó en Mazuko. Escribir a rosa@correo.pe")
    clean = deid.deidentify(text, names=["Rosa", "Quispe", "Cholo Juan"])
    for secret in ("Rosa", "Quispe", "Iquitos", "2019", "41234567", "15 años", "Cholo",
                   "rosa@correo.pe"):
        assert secret not in clean.text, secret
    assert clean.tags["[NOMBRE]"] >= 2 and clean.tags["[LUGAR]"] >= 1
    assert clean.tags["[FECHA]"] == 1 and clean.tags["[EDAD]"] == 1
    assert "Mazuko" in clean.review  # a place the table does not hold: for the checker


@pytest.fixture
def qualitative(study, team, consented):
    record = study(kind="cualitativo", code="testimonios", excerpts_allowed=True)
    case = consented["cases"][0]
    episode_save(actor=team["caseworker"], case=case, data={"kind": "captacion"},
                 description="Rosa viajó desde Iquitos con una vecina que le ofreció trabajo.")
    return record, case


def test_the_case_team_excerpts_and_a_name_left_in_is_refused(qualitative, team):
    record, case = qualitative
    worker = team["caseworker"]
    texts = services.excerpt_sources(worker, record, case.code)
    source = next(t for t in texts if t["source"] == "episodio")
    with pytest.raises(ValidationError, match="un nombre"):
        services.excerpt_add(actor=worker, study=record, code=case.code, source="episodio",
                             source_id=source["id"], text="Rosa viajó con una vecina.")
    excerpt = services.excerpt_add(
        actor=worker, study=record, code=case.code, source="episodio", source_id=source["id"],
        text="[NOMBRE] viajó desde [LUGAR] con una vecina que le ofreció trabajo.")
    assert not excerpt.checked and excerpt.tags == {"[NOMBRE]": 1, "[LUGAR]": 1}
    assert excerpt.text_sealed and b"vecina" not in bytes(excerpt.text_sealed)  # sealed
    with pytest.raises(PermissionDenied):  # a researcher never opens the case
        services.excerpt_sources(team["researcher"], record, case.code)


def test_psychological_notes_need_the_protocol_and_their_professional(qualitative, team,
                                                                       study):
    record, case = qualitative
    note_add(actor=team["psychologist"], case=case, text="Sesión: miedo a declarar.",
             sensitivity="psychological")
    sources = {t["source"] for t in services.excerpt_sources(team["psychologist"], record,
                                                             case.code)}
    assert "nota" not in sources  # the protocol does not allow professional notes
    allowing = study(kind="cualitativo", code="con-notas", excerpts_allowed=True,
                     professional_notes=True)
    labels = [t["label"] for t in services.excerpt_sources(team["psychologist"], allowing,
                                                           case.code)]
    assert "Psicológica" in labels
    labels = [t["label"] for t in services.excerpt_sources(team["caseworker"], allowing,
                                                           case.code)]
    assert "Psicológica" not in labels  # not her note to give


def test_two_coders_and_their_agreement(qualitative, team, make_user):
    record, case = qualitative
    worker, first = team["caseworker"], team["researcher"]
    second = make_user("researcher", username="res2")
    record.members.add(second)
    source = services.excerpt_sources(worker, record, case.code)[0]
    excerpts = [services.excerpt_add(actor=worker, study=record, code=case.code,
                                     source=source["source"], source_id=source["id"],
                                     text=f"[NOMBRE] pasaje {i}.") for i in range(4)]
    for excerpt in excerpts:  # a second person of the case team lets them through
        services.excerpt_check(actor=team["coordinator"], excerpt=excerpt, approve=True)
    help_, justice = (services.theme_save(actor=first, study=record, code=c, name=n)
                      for c, n in (("A", "Atención"), ("B", "Justicia")))
    for i, excerpt in enumerate(excerpts):
        services.coding_save(actor=first, excerpt=excerpt, themes=[help_.pk] + (
            [justice.pk] if i < 2 else []))
        services.coding_save(actor=second, excerpt=excerpt, themes=[help_.pk] + (
            [justice.pk] if i in (0, 2) else []))
    result = selectors.agreements(record)[0]
    assert result.shared == 4
    by_theme = {t.code: k for t, k, _word in result.by_theme}
    assert by_theme == {"A": 1.0, "B": 0.0}
    counts = {t.code: n for t, n, _per in selectors.theme_counts(record)}
    assert counts == {"A": 4, "B": 3}
    with pytest.raises(PermissionDenied):
        services.coding_save(actor=team["caseworker"], excerpt=excerpts[0], themes=[])


def test_the_preview_tags_the_perpetrators_recorded_names(qualitative, team):
    record, case = qualitative
    episode_save(actor=team["caseworker"], case=case, data={"kind": "explotacion"},
                 description="Trabajó en un bar.", perpetrators="Una señora, alias Chata Mery")
    preview = services.excerpt_preview(actor=team["caseworker"], study=record, code=case.code,
                                       passage="La Chata Mery la hacía trabajar; una vecina "
                                               "la ayudó a salir.")
    assert "Chata" not in preview.text and "Mery" not in preview.text
    assert "una vecina" in preview.text  # a common word is not a name


def test_identifiers_of_anyone_on_the_case_are_refused_and_a_second_person_checks(
        qualitative, team, client, login):
    """Issue 32, finding 5: "Caso LIM-2026-0063, DNI 98765432, nacida el 23/08/2009" reached
    the researcher. Case codes, documents, phones, exact dates, ages, places and the names of
    anyone on the case (staff, contacts, defendants) are refused; the researcher reads an
    excerpt only after a second person of the case team checks it."""
    from amparo.legal.services import defendant_save, proceeding_save

    record, case = qualitative
    worker = team["caseworker"]
    proceeding = proceeding_save(actor=team["lawyer"], case=case, data={})
    defendant_save(actor=team["lawyer"], case=case, proceeding=proceeding, role="captador",
                   situation="investigado",
                   details={"name": "Wilfredo Cárdenas", "alias": "el Tuerto"})
    source = services.excerpt_sources(worker, record, case.code)[0]

    def add(text):
        return services.excerpt_add(actor=worker, study=record, code=case.code,
                                    source=source["source"], source_id=source["id"], text=text)

    for leak, kind in ((f"Caso {case.code}, la acompañamos", "un código de caso"),
                       ("Su DNI 98765432 quedó con él", "número de documento"),
                       ("Nació el 23/08/2009 en la sierra", "una fecha exacta"),
                       ("Llamaba al 987 654 321 cada noche", "número de documento"),
                       ("Tenía 15 años cuando llegó", "una edad"),
                       ("La llevaron a Tambopata", "un lugar"),
                       ("Wilfredo la vigilaba", "un nombre"),
                       (f"{worker.first_name} la acompañó a declarar", "un nombre")):
        with pytest.raises(ValidationError, match=kind):
            add(leak)
    preview = services.excerpt_preview(actor=worker, study=record, code=case.code,
                                       passage=f"Caso {case.code}: Wilfredo, DNI 98765432.")
    assert "[CASO]" in preview.text and "Wilfredo" not in preview.text
    excerpt = add("En [FECHA] la llevaron a [LUGAR]; en 2019 volvió.")  # a year alone stays
    # The researcher does not read it yet.
    researcher = team["researcher"]
    assert excerpt not in [item.excerpt for item in selectors.workspace(record, researcher)]
    with pytest.raises(ValidationError):  # not the one who selected it
        services.excerpt_check(actor=worker, excerpt=excerpt, approve=True)
    with pytest.raises(PermissionDenied):  # not someone outside the case team
        services.excerpt_check(actor=team["cusco_coordinator"], excerpt=excerpt, approve=True)
    assert excerpt in services.excerpts_to_check(team["coordinator"], record)
    login(team["coordinator"])
    page = client.get(f"/investigacion/{record.pk}/extractos/").content.decode()
    assert "volvió" in page
    client.post(f"/investigacion/{record.pk}/extractos/", {"excerpt": excerpt.pk,
                                                          "action": "check"})
    excerpt.refresh_from_db()
    assert excerpt.checked_by == team["coordinator"]
    assert excerpt in [item.excerpt for item in selectors.workspace(record, researcher)]


def test_the_excerpts_waiting_for_a_check_are_a_read_that_is_audited(qualitative, team, client,
                                                                     login):
    from amparo.audit.models import AccessEvent

    record, case = qualitative
    source = services.excerpt_sources(team["caseworker"], record, case.code)[0]
    services.excerpt_add(actor=team["caseworker"], study=record, code=case.code,
                         source=source["source"], source_id=source["id"],
                         text="[NOMBRE] viajó con una vecina.")
    login(team["coordinator"])
    assert "viajó con una vecina" in client.get(
        f"/investigacion/{record.pk}/extractos/").content.decode()
    event = AccessEvent.objects.filter(actor=team["coordinator"], section="research",
                                       action="view").latest("id")
    assert event.object_ids == [case.code]


def _excerpts(record, case, team, n: int, start: int = 0):
    worker = team["caseworker"]
    source = services.excerpt_sources(worker, record, case.code)[0]
    made = [services.excerpt_add(actor=worker, study=record, code=case.code,
                                 source=source["source"], source_id=source["id"],
                                 text=f"[NOMBRE] pasaje {start + i}.") for i in range(n)]
    for excerpt in made:
        services.excerpt_check(actor=team["coordinator"], excerpt=excerpt, approve=True)
    return made


@pytest.mark.parametrize("who, name, queries", [
    ("researcher", "research:coding", 20), ("caseworker", "research:excerpts", 15),
    ("caseworker", "research:excerpt_case", 21)])
def test_the_coding_and_excerpt_pages_have_a_fixed_number_of_queries(
        qualitative, team, client, login, who, name, queries, audit_lock,
        django_assert_num_queries):
    """At two sizes: more excerpts, themes and codings, the same queries."""
    record, case = qualitative
    theme = services.theme_save(actor=team["researcher"], study=record, code="A", name="Ayuda")
    for excerpt in _excerpts(record, case, team, 2):
        services.coding_save(actor=team["researcher"], excerpt=excerpt, themes=[theme.pk])
    login(team[who])
    url = reverse(name, args=[] if name == "research:excerpts" else [record.pk])
    if name == "research:excerpt_case":
        url += f"?caso={case.code}"
    client.get(url)
    with django_assert_num_queries(queries + audit_lock):
        assert client.get(url).status_code == 200
    more = services.theme_save(actor=team["researcher"], study=record, code="B", name="Justicia")
    for excerpt in _excerpts(record, case, team, 6, start=2):
        services.coding_save(actor=team["researcher"], excerpt=excerpt,
                             themes=[theme.pk, more.pk])
    with django_assert_num_queries(queries + audit_lock):
        assert client.get(url).status_code == 200


def test_the_case_teams_home_counts_the_excerpts_waiting_for_its_check(qualitative, team):
    from amparo.home.today import today_for

    record, case = qualitative
    source = services.excerpt_sources(team["caseworker"], record, case.code)[0]
    services.excerpt_add(actor=team["caseworker"], study=record, code=case.code,
                         source=source["source"], source_id=source["id"], text="[NOMBRE] viajó.")
    coordinator = {b.key: b for b in today_for(team["coordinator"]).blocks}["excerpt_checks"]
    assert coordinator.total == 1 and record.code in coordinator.lines[0].text
    selector = {b.key: b for b in today_for(team["caseworker"]).blocks}["excerpt_checks"]
    assert selector.total == 0  # not hers to check: she selected it
