"""A caseworker registers a case through the intake wizard and works in it: a follow-up, a
note and a document, each seen on the page after saving; bad input is named, not lost."""

import pytest
from django.utils import timezone

from amparo.browser.tests.conftest import sign_in
from amparo.cases.models import Case, CaseDocument, FollowUp, Note

pytestmark = pytest.mark.browser


def test_a_caseworker_registers_a_case_and_records_her_work(browse, person):
    worker = person("caseworker@lima", username="lima.cw", first_name="Milagros")
    me = browse()
    page = me.page
    sign_in(me, worker)
    me.go("/casos/nuevo/", "intake")

    # Nothing typed: the form says what is missing and saves nothing.
    page.get_by_role("button", name="Registrar y continuar").click()
    me.look("intake refused")
    assert page.locator(".invalid-feedback, .alert-danger").first.is_visible()
    assert Case.objects.count() == 0

    today = timezone.localdate().isoformat()
    page.get_by_label("Fecha de ingreso").fill(today)
    page.get_by_label("Cómo llegó").select_option(index=1)
    page.get_by_label("Condición de víctima").select_option(index=1)
    page.get_by_label("Nombres").fill("Yeni")
    page.get_by_label("Apellido paterno").fill("Quispe")
    page.get_by_label("Apellido materno").fill("Mamani")
    page.get_by_label("Sexo").select_option(index=1)
    page.get_by_label("Edad estimada").fill("24")
    page.get_by_label("Nacionalidad").select_option(index=1)
    page.get_by_role("button", name="Registrar y continuar").click()
    case = Case.objects.get()
    me.look("what happened")
    assert page.get_by_role("heading", name=case.code).is_visible()
    while page.get_by_role("link", name="Siguiente paso").count():
        page.get_by_role("link", name="Siguiente paso").click()
        me.look("next intake step")
    page.get_by_role("link", name="Terminar el registro").click()
    me.look("case summary")
    assert page.get_by_role("heading", name=case.code).is_visible()

    me.go(f"/casos/{case.code}/seguimiento/", "follow-ups")
    page.get_by_label("Fecha").first.fill(today)
    page.get_by_label("Canal").select_option("telefono")
    page.get_by_role("group", name="¿Se logró hablar con ella?").get_by_label("Sí").check()
    page.get_by_role("button", name="Registrar").click()
    me.look("follow-up recorded")
    assert FollowUp.objects.filter(case=case, reached=True).count() == 1

    me.go(f"/casos/{case.code}/notas/", "notes")
    note = page.get_by_role("textbox", name="Nota")
    note.fill("Llamó para contar que empezó un curso de cocina.")
    page.get_by_role("button", name="Guardar la nota").click()
    me.look("note saved")
    assert page.get_by_text("empezó un curso de cocina").is_visible()
    assert Note.objects.filter(case=case).count() == 1

    me.go(f"/casos/{case.code}/documentos/", "documents")
    page.get_by_label("Tipo").select_option(index=1)
    page.get_by_label("Título").fill("Constancia de matrícula")
    page.get_by_label("Archivo").set_input_files(files=[{
        "name": "constancia.pdf", "mimeType": "application/pdf",
        "buffer": b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"}])
    page.get_by_role("button", name="Subir").click()
    me.look("document uploaded")
    assert page.get_by_text("Constancia de matrícula").is_visible()
    assert CaseDocument.objects.filter(case=case).count() == 1


def test_the_intake_wizard_with_the_keyboard_only(browse, person):
    worker = person("caseworker@lima", username="lima.cw")
    me = browse()
    page = me.page
    sign_in(me, worker, check=False)
    me.go("/casos/nuevo/")
    # The skip link is the first stop, and it takes the focus to the content.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.classList.contains('skip-link')")
    page.keyboard.press("Enter")
    me.look("skip link used")

    def focus(label: str) -> None:
        """Tab until the field labelled `label` has the focus (as a person would)."""
        target = page.get_by_label(label).first
        for _ in range(80):
            if target.evaluate("el => el === document.activeElement"):
                return
            page.keyboard.press("Tab")
        raise AssertionError(f"{label!r} cannot be reached with Tab")

    focus("Fecha de ingreso")
    page.keyboard.type(timezone.localdate().strftime("%d%m%Y"))
    for label in ("Cómo llegó", "Condición de víctima", "Sexo", "Nacionalidad"):
        focus(label)
        page.keyboard.press("ArrowDown")
    for label, text in (("Nombres", "Flor"), ("Apellido paterno", "Tapullima"),
                        ("Edad estimada", "19")):
        focus(label)
        page.keyboard.type(text)
    me.look("typed with the keyboard")
    focus("Edad estimada")
    with page.expect_navigation():
        page.keyboard.press("Enter")  # submits the form
    me.look("registered with the keyboard")
    case = Case.objects.get()
    assert case.office.code == "lima"
    assert page.get_by_role("heading", name=case.code).is_visible()
