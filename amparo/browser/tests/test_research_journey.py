"""Research as people do it: a case worker excerpts and de-identifies a passage of her own
case for an approved study; her coordinator checks it; the researcher codes it and counts
people with noise."""

from datetime import date

import pytest
from django.core.cache import cache

from amparo.accounts.models import Office
from amparo.browser.tests.conftest import sign_in
from amparo.cases import services as case_services
from amparo.cases.tests.samples import CASE, IDENTITY
from amparo.research import services

pytestmark = pytest.mark.browser


def _study(worker, researcher, director):
    case = case_services.case_intake(
        actor=worker, office=Office.objects.get(code="lima"),
        identity={**IDENTITY, "given_names": "Yeni"}, contacts="", address="",
        case={**CASE, "intake_date": date(2024, 5, 2)})
    case.worker = worker
    case.save(update_fields=["worker"])
    case_services.consent_record(actor=worker, case=case, scope="investigacion", given=True,
                                 decided_on=date(2024, 5, 2), given_by="sobreviviente")
    case_services.episode_save(actor=worker, case=case, data={"kind": "captacion"},
                               description="Yeni viajó desde Iquitos el 3 de mayo de 2023 con "
                                           "una vecina que le ofreció trabajo.")
    study = services.study_save(actor=researcher, data={
        "code": "testimonios", "title": "Testimonios de la atención", "kind": "cualitativo",
        "question": "¿Qué ayudó a las sobrevivientes?", "starts_on": date(2020, 1, 1),
        "ends_on": date(2025, 12, 31), "variables": [], "excerpts_allowed": True, "k": 11,
        "epsilon_budget": "1"})
    services.study_submit(actor=researcher, study=study)
    services.study_decide(actor=director, study=study, approve=True,
                          decision="Aprobado: solo extractos desidentificados y revisados.")
    services.theme_save(actor=researcher, study=study, code="A", name="Engaño")
    return case, study


def test_a_case_worker_excerpts_and_the_researcher_codes(browse, person, make_user):
    worker = person("caseworker@lima", username="lima.cw", first_name="Lucía")
    researcher = person("researcher", username="res", first_name="Miguel")
    coordinator = person("coordinator@lima", username="lima.coord", first_name="Carmen")
    case, study = _study(worker, researcher, make_user("director", username="dir"))
    me = browse("research")
    page = me.page
    sign_in(me, worker, check=False)
    me.go("/investigacion/extractos/", "studies asking for excerpts")
    page.get_by_role("link", name="Testimonios de la atención").click()
    page.get_by_label("Código del caso").fill(case.code)
    page.get_by_role("button", name="Abrir el caso").click()
    me.look("the case's texts")
    page.get_by_label("Captación").check()
    page.get_by_label("2. Copie aquí el pasaje").fill(
        "Yeni viajó desde Iquitos el 3 de mayo de 2023 con una vecina.")
    page.get_by_role("button", name="Desidentificar").click()
    me.look("de-identified, to check")
    checked = page.get_by_label("3. Revise el pasaje desidentificado")
    assert checked.input_value() == "[NOMBRE] viajó desde [LUGAR] el [FECHA] con una vecina."
    page.get_by_role("button", name="Lo revisé: guardar el extracto").click()
    assert page.get_by_text("Extracto guardado").is_visible()

    me.page.context.clear_cookies()
    sign_in(me, researcher, check=False)
    me.go(f"/investigacion/{study.pk}/codificar/", "nothing to code before the second check")
    assert page.get_by_text("[NOMBRE] viajó desde [LUGAR]").count() == 0

    me.page.context.clear_cookies()  # a second person of the case team checks it
    sign_in(me, coordinator, check=False)
    me.go(f"/investigacion/{study.pk}/extractos/", "excerpts waiting for a second check")
    waiting = page.get_by_role("region", name="Extractos que esperan su revisión")
    assert waiting.get_by_text("[NOMBRE] viajó desde [LUGAR]").is_visible()
    waiting.get_by_role("button", name=f"Nada identifica a nadie: que lo lean quienes "
                                       f"investigan {case.code}").click()
    me.look("excerpt checked")
    assert page.get_by_text("Revisado: quienes investigan").is_visible()

    me.page.context.clear_cookies()
    cache.clear()  # her second sign-in in the same 30 seconds: a code is used once
    sign_in(me, researcher, check=False)
    me.go(f"/investigacion/{study.pk}/codificar/", "coding workspace")
    assert page.get_by_text("[NOMBRE] viajó desde [LUGAR]").is_visible()
    page.get_by_label("A Engaño").check()
    page.get_by_role("button", name="Guardar mi codificación").click()
    assert page.get_by_text("Codificación guardada.").is_visible()
    me.go(f"/investigacion/{study.pk}/", "study with its counts")
    page.get_by_label("Contar personas por").select_option(label="Sexo")
    page.get_by_role("button", name="Contar").click()
    me.look("noisy counts")
    assert page.get_by_text("Publicado.").is_visible()
    assert page.get_by_role("cell", name="Mujer").is_visible()
