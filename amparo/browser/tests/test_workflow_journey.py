"""A case's life as its team sees it: the caseworker drafts the plan with her, the coordinator
approves it, the case moves step by step to follow-up and the coordinator closes it. And two
tabs editing the same case: the second save is refused and shows what changed."""

import pytest

from amparo.browser.tests.conftest import sign_in
from amparo.cases import services
from amparo.cases.models import CarePlan, Case
from amparo.cases.tests.samples import CASE, IDENTITY

pytestmark = pytest.mark.browser


@pytest.fixture
def lima_case(person):
    """A case registered at intake, with its team, and the people who work on it."""
    team = {"caseworker": person("caseworker@lima", username="lima.cw", first_name="Milagros"),
            "coordinator": person("coordinator@lima", username="lima.coord", first_name="Rosa")}
    from amparo.accounts.models import Office

    case = services.case_intake(actor=team["caseworker"], office=Office.objects.get(code="lima"),
                                identity=IDENTITY, contacts="", address="", case=CASE)
    return case, team


def test_plan_approved_case_moved_to_follow_up_and_closed(browse, lima_case):
    case, team = lima_case
    worker = browse("plan and closure: caseworker")
    page = worker.page
    sign_in(worker, team["caseworker"], check=False)
    worker.go(f"/casos/{case.code}/plan/", "plan tab")
    page.get_by_label("Corto plazo").check()
    page.get_by_label("Ámbito 1").select_option("educacion")
    page.get_by_label("Meta, en sus palabras 1").fill("Terminar la secundaria en el CEBA")
    page.get_by_role("button", name="Guardar el borrador").click()
    worker.look("draft saved")
    assert page.get_by_text("Terminar la secundaria en el CEBA").is_visible()
    assert page.get_by_role("button", name="Aprobar el plan").count() == 0  # not hers to approve

    coordinator = browse("plan and closure: coordinator")
    sign_in(coordinator, team["coordinator"], check=False)
    coordinator.go("/", "coordinator home")
    plans = coordinator.page.get_by_role("region", name="Planes que esperan su aprobación")
    plans.get_by_role("link", name=case.code).click()
    coordinator.look("plan to approve")
    coordinator.page.get_by_role("button", name="Aprobar el plan").click()
    coordinator.look("plan approved")
    assert coordinator.page.get_by_text("Plan aprobado.").is_visible()
    assert CarePlan.objects.get(case=case).status == "aprobado"

    for step in ("Valoración", "Plan de atención", "Atención", "Seguimiento"):
        worker.go(f"/casos/{case.code}/")
        page.get_by_role("button", name=f"Pasar a {step}").click()
        worker.look(f"moved to {step}")
    assert Case.objects.get(pk=case.pk).status == "seguimiento"

    coordinator.go(f"/casos/{case.code}/cierre/", "closure form")
    cpage = coordinator.page
    cpage.get_by_role("button", name="Cerrar el caso").click()
    coordinator.look("closure refused without a reason")
    assert Case.objects.get(pk=case.pk).status == "seguimiento"
    cpage.get_by_label("Motivo del cierre").select_option(index=1)
    cpage.get_by_role("button", name="Cerrar el caso").click()
    coordinator.look("case closed")
    assert Case.objects.get(pk=case.pk).status == "cerrado"
    assert cpage.get_by_text("Este caso está cerrado.").is_visible()


def test_a_stale_edit_in_a_second_tab_is_refused_and_shows_what_changed(browse, lima_case):
    case, team = lima_case
    me = browse("stale edit")
    sign_in(me, team["caseworker"], check=False)
    second = browse("stale edit, second tab", context=me.page.context)
    for tab in (me, second):
        tab.go(f"/casos/{case.code}/editar/")
    me.page.get_by_label("Prioridad").select_option("alta")
    me.page.get_by_role("button", name="Guardar").click()
    me.look("first tab saved")
    assert me.page.get_by_text("Cambios guardados.").is_visible()

    second.page.get_by_label("Prioridad").select_option("baja")
    second.page.get_by_role("button", name="Guardar").click()
    second.look("second tab refused")
    warning = second.page.get_by_role("alert").filter(has_text="Lo que cambió otra persona")
    assert warning.is_visible()
    assert warning.get_by_text("Alta").is_visible()
    assert Case.objects.get(pk=case.pk).priority == "alta"
    # Her entry is still in the form: saving again keeps her version.
    assert second.page.get_by_label("Prioridad").input_value() == "baja"
    second.page.get_by_role("button", name="Guardar").click()
    second.look("second tab saved again")
    assert Case.objects.get(pk=case.pk).priority == "baja"
