"""The prevention team's day, as it sees it: a training is recorded with its curriculum, the
attendance list is typed in (a judge who came last year is recognised by her DNI), scores are
entered, and the dashboard answers how many distinct people were trained, and whether they
learnt. A coordinator sees the work but records nothing."""

from datetime import date
from decimal import Decimal

import pytest

from amparo.browser.tests.conftest import sign_in
from amparo.imports.models import ImportRun
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


def _attendance_sheet(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["LISTA DE ASISTENCIA"])
    sheet.append(["N°", "Apellidos y nombres", "DNI", "Cargo", "Institución"])
    sheet.append([1, "CCAMA HUALLPA, Yeny", "41234567", "Jueza",
                  "Corte Superior de Justicia de Cusco"])
    sheet.append([2, "Edwin Mamani Ttito", "", "Juez", "Corte Superior de Justicia de Cusco"])
    sheet.append([3, "", "", "", ""])
    path = tmp_path / "asistencia.xlsx"
    book.save(path)
    return path


def _work_the_queue():
    """What `amparo db_worker` does: run the task the page queued."""
    from django_tasks_db.models import DBTaskResult

    from amparo.imports.tasks import import_execute

    task = DBTaskResult.objects.order_by("-enqueued_at").first()
    import_execute.call(*task.args_kwargs["args"])


def test_a_training_its_attendance_and_scores_and_the_dashboard(browse, last_year, tmp_path):
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

    # The next workshop's list, as the office keeps it, comes in through the importer.
    activity = Attendance.objects.order_by("-recorded_at").first().activity
    me.go(f"/prevencion/actividades/{activity.code}/", "activity before the list")
    # The signed sheet, kept encrypted with the activity.
    page.get_by_text("Agregar la agenda, fotos o la lista firmada").click()
    page.locator("#id_d-kind").select_option("lista")
    scan = tmp_path / "lista-firmada.pdf"
    scan.write_bytes(b"%PDF-1.4\nLista firmada\n%%EOF\n")
    page.locator("#id_d-file").set_input_files(str(scan))
    page.get_by_role("button", name="Guardarlo cifrado").click()
    me.look("signed sheet kept")
    assert page.get_by_role("link", name="PDF").is_visible()

    page.get_by_text("Importar la lista de asistencia").click()
    page.get_by_label("Lista de asistencia (.xlsx o .csv)").set_input_files(
        str(_attendance_sheet(tmp_path)))
    page.get_by_role("button", name="Subir").click()
    me.look("attendance list: proposed mapping")
    assert "participant.full_name" in page.get_by_label("Mapeo (YAML)").input_value()
    page.get_by_role("button", name="Probar (no cambia nada)").click()
    page.goto("about:blank")  # stop polling while the worker runs (one SQLite connection)
    _work_the_queue()
    run = ImportRun.objects.get()
    me.go(f"/importar/{run.pk}/", "attendance list: dry run report")
    page.get_by_role("button", name="Importar", exact=True).click()
    page.goto("about:blank")
    _work_the_queue()
    me.go(f"/importar/{run.pk}/", "attendance list: imported")
    assert Attendance.objects.filter(activity=activity).count() == 2  # Yeny once, Edwin new
    assert Participant.objects.count() == 2

    coordinator = browse("prevention: coordinator")
    sign_in(coordinator, team["coordinator"], check=False)
    coordinator.go("/prevencion/actividades/", "coordinator: activities")
    assert coordinator.page.get_by_role("link", name="Nueva actividad").count() == 0
