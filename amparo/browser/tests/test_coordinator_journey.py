"""A coordinator's day: she acknowledges one alert and snoozes another, decides on a possible
match, and brings in an office's old register (upload → dry run with its progress → import →
undo)."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from amparo.accounts.models import Office
from amparo.browser.tests.conftest import sign_in
from amparo.cases import services as case_services
from amparo.cases.models import Case
from amparo.cases.tests.samples import CASE, IDENTITY
from amparo.imports.models import ImportRun
from amparo.imports.tasks import import_execute, import_propose
from amparo.imports.tests.conftest import MAPPING, register
from amparo.linkage.models import Candidate
from amparo.monitoring.models import Alert
from amparo.monitoring.refresh import alerts_refresh

pytestmark = pytest.mark.browser


def _case(worker, **identity):
    case = case_services.case_intake(
        actor=worker, office=Office.objects.get(code="lima"), identity={**IDENTITY, **identity},
        contacts="", address="", case={**CASE, "intake_date": timezone.localdate()
                                       - timedelta(days=120)})
    return case


def test_a_coordinator_acknowledges_and_snoozes_alerts_and_decides_a_match(browse, person):
    worker = person("caseworker@lima", username="lima.cw")
    coordinator = person("coordinator@lima", username="lima.coord")
    first = _case(worker)
    second = _case(worker, given_names="Rosa", document_type="", document_number="")
    alerts_refresh()
    assert Alert.objects.filter(case=first, kind="sin_contacto").exists()
    a, b = sorted([first.person_id, second.person_id])
    Candidate.objects.create(kind="persons", person_id=a, other_id=b, probability=0.93,
                             evidence=[["prior", "prior", -10.0], ["given", "exact", 6.5]])

    me = browse()
    page = me.page
    sign_in(me, coordinator, check=False)
    me.go("/alertas/", "inbox")
    card = page.locator("article.alert-card").filter(has_text=first.code).filter(
        has_text="contact").first
    card.get_by_text("Actuar sobre esta alerta").click()
    card.get_by_label("Me ocupo (atender)").check()
    card.get_by_label("Comentario o motivo").fill("La llamo hoy desde la oficina.")
    card.get_by_role("button", name="Guardar").click()
    me.look("alert acknowledged")
    alert = Alert.objects.get(case=first, kind="sin_contacto")
    assert alert.status == "atendiendo"

    card = page.locator("article.alert-card").filter(has_text=second.code).filter(
        has_text="contact").first
    card.get_by_text("Actuar sobre esta alerta").click()
    card.get_by_label("Posponer hasta una fecha").check()
    card.get_by_label("Comentario o motivo").fill("Viaja a su comunidad; vuelve en dos semanas.")
    card.get_by_label("Posponer hasta", exact=True).fill(
        (timezone.localdate() + timedelta(days=14)).isoformat())
    card.get_by_role("button", name="Guardar").click()
    me.look("alert snoozed")
    assert Alert.objects.get(case=second, kind="sin_contacto").status == "pospuesta"

    me.go("/coincidencias/", "match queue")
    page.locator("main a[href^='/coincidencias/']").filter(has_text="93").first.click()
    me.look("pair side by side")
    page.get_by_label("Personas distintas").check()
    page.get_by_role("button", name="Registrar la decisión").click()
    me.look("different needs a comment")
    assert Candidate.objects.get().status == "open"
    page.get_by_label("Personas distintas").check()
    page.get_by_label("Comentario", exact=True).fill("Fechas de nacimiento y DNI distintos.")
    page.get_by_role("button", name="Registrar la decisión").click()
    me.look("decided")
    assert Candidate.objects.get().status == "different"


def test_a_coordinator_finds_a_case_by_name_and_the_name_stays_out_of_the_address(browse,
                                                                                   person):
    worker = person("caseworker@lima", username="lima.cw")
    coordinator = person("coordinator@lima", username="lima.coord")
    wanted = _case(worker, given_names="Yésica", paternal_surname="Ñahui")
    other = _case(worker)
    me = browse()
    page = me.page
    sign_in(me, coordinator, check=False)
    me.go("/casos/?vista=oficina", "case list")
    rows = page.locator("#case-rows tbody tr")
    assert rows.filter(has_text=other.code).count() == 1
    page.get_by_label("Buscar").press_sequentially("yesica nahui")  # as typed: no accents
    rows.filter(has_text=other.code).wait_for(state="detached")
    me.look("searched by name")
    assert rows.filter(has_text=wanted.code).count() == 1
    assert "busqueda=" in page.url and "nahui" not in page.url.lower()
    page.reload()  # the token's address shows the same search again in this session
    assert page.get_by_label("Buscar").input_value() == "yesica nahui"
    assert rows.filter(has_text=other.code).count() == 0


def _work_the_queue():
    """What `amparo db_worker` does: run the task the page queued."""
    task = DBTaskResult.objects.order_by("-enqueued_at").first()
    work = {"import_execute": import_execute, "import_propose": import_propose}
    work[task.task_path.rsplit(".", 1)[1]].call(*task.args_kwargs["args"])


def test_a_coordinator_imports_an_old_register_and_undoes_it(browse, person, tmp_path):
    coordinator = person("coordinator@maldonado", username="maldonado.coord")
    workbook = register(tmp_path / "registro-2015.xlsx")
    me = browse()
    page = me.page
    sign_in(me, coordinator, check=False)
    me.go("/importar/", "imports")
    page.get_by_label("Libro (.xlsx) o archivo CSV").set_input_files(str(workbook))
    page.get_by_role("button", name="Subir y proponer un mapeo").click()
    me.look("file read by the worker")
    assert page.get_by_role("status").filter(has_text="leyendo el archivo").is_visible()
    run = ImportRun.objects.get()
    page.goto("about:blank")  # the worker reads it (one SQLite connection)
    _work_the_queue()
    me.go(f"/importar/{run.pk}/", "proposed mapping")
    assert page.get_by_text("SIN DECIDIR").first.is_visible()

    page.get_by_label("Mapeo (YAML)").fill(MAPPING)
    page.get_by_role("button", name="Probar (no cambia nada)").click()
    me.look("dry run waiting for the worker")
    status = page.get_by_role("status").filter(has_text="esperando para empezar")
    assert status.is_visible()  # and it polls: the progress bar shows once the worker starts
    assert status.get_attribute("hx-trigger") == "every 2s"
    page.goto("about:blank")  # stop polling while the worker runs (one SQLite connection)
    _work_the_queue()
    me.go(f"/importar/{run.pk}/", "dry run report")
    assert page.get_by_role("heading", name="Informe de la prueba").is_visible()
    assert Case.objects.count() == 0

    page.get_by_role("button", name="Importar", exact=True).click()
    page.goto("about:blank")
    _work_the_queue()
    me.go(f"/importar/{run.pk}/", "imported")
    assert Case.objects.count() == 3
    # The register has no sex column: her identity page says what is still to complete.
    first = Case.objects.order_by("code").first()
    me.go(f"/casos/{first.code}/identidad/", "identity with data to complete")
    assert page.get_by_role("status").filter(has_text="Datos por completar").is_visible()
    me.go(f"/importar/{run.pk}/")
    page.get_by_role("button", name="Deshacer la importación").click()
    me.look("undo needs confirmation")
    assert Case.objects.count() == 3
    page.get_by_role("checkbox").check()
    page.get_by_role("button", name="Deshacer la importación").click()
    me.look("undone")
    assert Case.objects.count() == 0
