"""A lawyer records a proceeding's step and a hearing, and finds the hearing in the calendar
and on her home page."""

import re
from datetime import date, timedelta

import pytest
from django.utils import timezone

from amparo.accounts.models import Office
from amparo.browser.tests.conftest import sign_in
from amparo.cases import services as case_services
from amparo.cases.tests.samples import CASE, IDENTITY
from amparo.legal import services
from amparo.legal.models import Hearing, Proceeding

pytestmark = pytest.mark.browser


def test_a_lawyer_records_a_step_and_a_hearing_and_finds_it_in_the_calendar(browse, person):
    worker = person("caseworker@lima", username="lima.cw")
    lawyer = person("lawyer@lima", username="lima.law", first_name="Lucía")
    case = case_services.case_intake(actor=worker, office=Office.objects.get(code="lima"),
                                     identity=IDENTITY, contacts="", address="", case=CASE)
    case.lawyer = lawyer
    case.save(update_fields=["lawyer"])
    proceeding = services.proceeding_save(actor=lawyer, case=case,
                                          stage_since=date(2026, 1, 6),
                                          data={"prosecutor_file": "506-2026"})
    me = browse()
    page = me.page
    sign_in(me, lawyer, check=False)
    me.go(f"/casos/{case.code}/proceso/{proceeding.pk}/", "proceeding")

    page.get_by_text("Un cambio de etapa").click()
    stage = page.locator("details[open] form")
    stage.get_by_label("Nueva etapa").select_option("diligencias_preliminares")
    stage.get_by_role("button", name="Guardar").click()
    me.look("stage recorded")
    assert Proceeding.objects.get(pk=proceeding.pk).stage == "diligencias_preliminares"

    hearing_day = timezone.localdate() + timedelta(days=2)
    page.get_by_text("Una audiencia").click()
    form = page.locator("details[open] form")
    form.get_by_label("Tipo").select_option(index=1)
    form.get_by_label("Fecha y hora").fill(f"{hearing_day.isoformat()}T09:30")
    form.get_by_label("Ella debe asistir").check()
    form.get_by_role("button", name="Guardar").click()
    me.look("hearing recorded")
    assert Hearing.objects.filter(proceeding=proceeding).count() == 1

    me.go("/procesos/calendario/", "calendar")
    assert page.get_by_role("link", name=case.code).first.is_visible()
    me.go("/", "lawyer home")
    week = page.get_by_role("region", name="Audiencias y plazos de esta semana")
    line = week.get_by_role("link", name=re.compile(rf"^{case.code} · .* · Audiencia: "))
    assert line.is_visible()
