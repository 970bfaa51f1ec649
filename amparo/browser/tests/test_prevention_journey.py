"""The prevention team's day, as it sees it: a training is recorded with its curriculum, the
attendance list is typed in (a judge who came last year is recognised by her DNI), scores are
entered, and the dashboard answers how many distinct people were trained, and whether they
learnt. A coordinator sees the work but records nothing."""

from datetime import date
from decimal import Decimal

import pytest

from amparo.browser.tests.conftest import sign_in
from amparo.prevention import services
from amparo.prevention.models import Attendance, Participant

pytestmark = pytest.mark.browser


@pytest.fixture
def last_year(person):
    """Last year's workshop in Cusco, which a judge attended."""
    from amparo.accounts.models import Office

    team = {"prevention": person("prevention@cusco", username="cusco.prev", first_name="Nilda"),
            "coordinator": person("coordinator@cusco", username="cusco.coord")}
    workshop = services.activity_save(actor=team["prevention"], data={
        "kind": "taller", "title": "Taller: rutas de derivación", "office":
        Office.objects.get(code="cusco"), "starts_on": date(date.today().year - 1, 6, 3),
        "ends_on": None, "ubigeo": "080101", "place_name": "", "topics": ["trata"],
        "hours": Decimal(4), "audiences": ["jueces"], "project": "", "external_facilitators":
        "", "status": "realizada", "min_attendance": 80, "post_test_required": False,
        "test_max": None, "test_questions": []})
    services.attendance_record(actor=team["prevention"], activity=workshop, person={
        "given_names": "Yeny", "surnames": "Ccama Huallpa", "audience": "jueces",
        "institution": "Corte Superior de Justicia de Cusco", "department": "08",
        "document_number": "41234567", "sex": "mujer"})
    return team


def test_a_training_its_attendance_and_scores_and_the_dashboard(browse, last_year):
    team = last_year
    me = browse("prevention")
    page = me.page
    sign_in(me, team["prevention"], check=False)
    me.go("/prevencion/actividades/nueva/", "new activity")
    page.get_by_label("Tipo").select_option("capacitacion")
    page.get_by_label("Título").fill("Identificación de víctimas para operadores de justicia")
    page.get_by_label("Empieza el").fill(date.today().replace(day=1).isoformat())
    page.get_by_label("Estado").select_option("realizada")
    page.get_by_label("Horas", exact=True).fill("8")
    page.get_by_label("Jueces").check()
    page.get_by_label("Trata de personas").check()
    page.get_by_label("Puntaje máximo de la prueba").fill("20")
    page.get_by_role("button", name="Guardar").click()
    me.look("activity saved")
    assert page.get_by_text("guardada").is_visible()

    page.get_by_text("Agregar una persona a la asistencia").click()
    page.get_by_label("Nombres").fill("Yeni")  # typed differently this time
    page.get_by_label("Apellidos").fill("Ccama Huallpa")
    page.get_by_label("DNI u otro documento").fill("41234567")
    page.get_by_label("Profesión o cargo").select_option("jueces")
    page.get_by_role("button", name="Agregar").click()
    me.look("attendance added")
    assert Participant.objects.count() == 1 and Attendance.objects.count() == 2  # one person

    for phase, score in (("pre", "8"), ("post", "16")):
        page.get_by_text("Registrar un puntaje").click()
        page.locator("#id_s-participant").select_option(label="Yeny Ccama Huallpa")
        page.locator("#id_s-phase").select_option(phase)  # labelled "Prueba *"
        page.locator("#id_s-score").fill(score)
        page.get_by_role("button", name="Registrar", exact=True).click()
        me.look(f"{phase} score")

    me.go(f"/prevencion/?desde={date.today().year - 1}-01-01&hasta={date.today()}", "dashboard")
    assert page.get_by_text("distintas personas capacitadas", exact=True).is_visible()
    figures = page.locator(".display-6").all_inner_texts()
    assert figures[0] == "1"  # the judge at two events counts once
    assert page.get_by_text("Ganancia normalizada media 0,67").is_visible()

    coordinator = browse("prevention: coordinator")
    sign_in(coordinator, team["coordinator"], check=False)
    coordinator.go("/prevencion/actividades/", "coordinator: activities")
    assert coordinator.page.get_by_role("link", name="Nueva actividad").count() == 0
