"""The watchdog's season, as the team sees it: two months before publication it opens the
edition, records a request and its late answer, completes a service's evidence, writes a
chapter and downloads the draft report; the register shows what is still unanswered."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from amparo.browser.tests.conftest import sign_in
from amparo.policy import services
from amparo.policy.models import Evidence, InformationRequest, Instrument, Service
from amparo.referrals.models import Institution

pytestmark = pytest.mark.browser


@pytest.fixture
def season(person):
    services.structure_load_shipped()
    me = person("watchdog", username="vigilancia", first_name="Carmen")
    year = date.today().year
    edition = services.edition_save(actor=me, data={
        "instrument": Instrument.objects.get(code="pnftp-2030"), "first_year": year - 1,
        "last_year": year, "title": f"Informe Alternativo {year - 1}–{year}", "scale": []})
    services.evidence_save(actor=me, edition=edition, service=Service.objects.get(number=2),
                           year=year - 1, data={"budget_assigned": Decimal(0)})
    Institution.objects.create(name="Ministerio de la Mujer y Poblaciones Vulnerables",
                               acronym="MIMP", kind="ministerio", sector="estado",
                               ubigeo="150101")
    return me, edition


def test_the_edition_requests_evidence_and_the_draft(browse, season):
    me_user, edition = season
    me = browse("watchdog")
    page = me.page
    sign_in(me, me_user, check=False)
    me.go("/politica/", "summary")
    assert page.get_by_text("Servicios con evidencia").is_visible()

    me.go(f"/politica/solicitudes/?edicion={edition.code}", "requests")
    page.get_by_text("Registrar una solicitud").click()
    page.get_by_label("Entidad").select_option(label="MIMP – Ministerio de la Mujer y "
                                                      "Poblaciones Vulnerables")
    page.get_by_label("Qué se pidió").fill("Víctimas atendidas y reintegradas, por región")
    sent = date.today() - timedelta(days=40)
    page.get_by_label("Presentada el").fill(sent.isoformat())
    page.get_by_role("button", name="Registrar").click()
    me.look("request registered")
    record = InformationRequest.objects.get()
    assert page.get_by_text(record.code).first.is_visible()

    page.get_by_text("Registrar la respuesta o una prórroga").click()
    page.get_by_label("Respondida el").fill(date.today().isoformat())
    page.get_by_label("La respuesta fue").select_option("parcial")
    page.get_by_role("button", name="Guardar").click()
    me.look("late answer")
    assert page.get_by_text("Respondida tarde").is_visible()

    me.go(f"/politica/servicios/{Service.objects.get(number=3).pk}/?edicion={edition.code}",
          "service")
    page.get_by_text("Registrar evidencia").click()
    page.get_by_label("Presupuesto asignado (S/)").fill("125000")
    page.get_by_label("Presupuesto ejecutado (S/)").fill("90000")
    page.get_by_label("Implementación").select_option("en_proceso")
    page.get_by_role("button", name="Guardar").click()
    me.look("evidence saved")
    assert Evidence.objects.filter(service__number=3).exists()

    me.go(f"/politica/ediciones/{edition.code}/", "edition")
    page.get_by_text("Principales retos").click()
    page.locator("#id_c-retos-text").fill("Un registro único de víctimas.")
    page.get_by_role("button", name="Guardar el capítulo").first.click()
    me.look("chapter saved")
    assert edition.chapters.get(chapter="retos").text == "Un registro único de víctimas."
    with page.expect_download() as download:
        page.get_by_role("link", name="Borrador del informe (PDF)").click()
    assert download.value.suggested_filename == f"informe-{edition.code}.pdf"

    me.go(f"/politica/comparar/?edicion={edition.code}", "across editions")
    me.go("/politica/instrumentos/", "regional instruments")
