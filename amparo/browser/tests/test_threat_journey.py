"""A threat recorded at a follow-up is acted on at once (issue 34): the caseworker is led to
the risk assessment, and the coordinator finds the high alert on her home, in her inbox (its
age the threat's, not the computation's) and on the case's summary, in the same minute."""

from datetime import timedelta

import pytest
from django.utils import timezone

from amparo.accounts.models import Office
from amparo.browser.tests.conftest import sign_in
from amparo.cases import services as case_services
from amparo.cases.tests.samples import CASE, IDENTITY
from amparo.monitoring.models import Alert

pytestmark = pytest.mark.browser


def test_a_threat_at_a_follow_up_reaches_the_coordinator_at_once(browse, person):
    worker = person("caseworker@lima", username="lima.cw")
    coordinator = person("coordinator@lima", username="lima.coord")
    case = case_services.case_intake(
        actor=worker, office=Office.objects.get(code="lima"), identity=IDENTITY, contacts="",
        address="", case={**CASE, "intake_date": timezone.localdate() - timedelta(days=40)})

    me = browse()
    page = me.page
    sign_in(me, worker)
    me.go(f"/casos/{case.code}/seguimiento/", "follow-ups")
    page.get_by_label("Fecha").first.fill(timezone.localdate().isoformat())
    page.get_by_label("Canal").select_option("visita")
    page.get_by_role("group", name="¿Se logró hablar con ella?").get_by_label("Sí").check()
    page.get_by_label("Amenazas a ella o a su familia").check()
    page.get_by_role("button", name="Registrar").click()
    me.look("led to the risk assessment")
    assert page.url.endswith(f"/casos/{case.code}/riesgo/")
    assert page.get_by_text("se abrió una alerta alta y se avisó a la coordinación").is_visible()
    assert Alert.objects.filter(case=case, kind="signo_riesgo", severity=3,
                                ended_on__isnull=True).exists()

    boss = browse("coordinator")
    sign_in(boss, coordinator)
    boss.look("coordinator's home")
    alerts = boss.page.get_by_role("region", name="Alertas altas")
    assert case.code in alerts.inner_text()
    boss.go("/alertas/?gravedad=3", "inbox")
    card = boss.page.locator("article", has_text="Señales de riesgo en el último seguimiento")
    assert card.count() == 1 and "desde hoy" in card.inner_text()
    boss.go(f"/casos/{case.code}/", "summary with what is pending")
    pending = boss.page.get_by_role("region", name="Lo pendiente")
    assert "Señales de riesgo en el último seguimiento" in pending.inner_text()
