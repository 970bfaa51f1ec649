"""A Cusco caseworker breaks the glass on a Lima case at night: she confirms her second factor
again (what she typed is kept), reads the case under a red banner, cannot record in it, and
ends the access; the Lima coordinator reviews it from her supervision board."""

import pytest
from django.core.cache import cache

from amparo.accounts.models import Office
from amparo.browser.tests.conftest import sign_in, totp_code
from amparo.cases import services as case_services
from amparo.cases.models import BreakGlass
from amparo.cases.tests.samples import CASE, IDENTITY

pytestmark = pytest.mark.browser
REASON = "Llegó a la comisaría de Wanchaq; dice que la buscan y necesito su plan de seguridad."


def test_a_caseworker_breaks_the_glass_and_the_coordinator_reviews_it(browse, person,
                                                                     monkeypatch):
    lima_worker = person("caseworker@lima", username="lima.cw")
    coordinator = person("coordinator@lima", username="lima.coord", first_name="Carmen")
    cusco = person("caseworker@cusco", username="cusco.cw", first_name="Inés")
    case = case_services.case_intake(actor=lima_worker, office=Office.objects.get(code="lima"),
                                     identity=IDENTITY, contacts="", address="", case=CASE)
    me = browse()
    page = me.page
    sign_in(me, cusco, check=False)
    assert page.goto(me.base + f"/casos/{case.code}/").status == 404  # out of her scope
    me.errors.clear()  # the browser logs the expected 404
    me.look("not found")
    monkeypatch.setattr("amparo.accounts.fresh.FRESH_SECONDS", -1)  # as if hours had passed
    me.go("/casos/emergencia/", "break the glass form")
    page.get_by_label("Código del caso").fill(case.code.lower())
    page.get_by_label("Por qué lo necesita ahora").fill(REASON)
    page.get_by_label("Por cuánto tiempo").select_option("2")
    page.get_by_role("button", name="Abrir el caso en una emergencia").click()
    me.look("second factor again")
    cache.clear()  # the next 30-second code: the one used to sign in cannot be used twice
    monkeypatch.setattr("amparo.accounts.fresh.FRESH_SECONDS", 300)
    page.locator("main input[name=code]").fill(totp_code(cusco.totp_secret))
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(f"**/casos/{case.code}/")
    me.look("case under emergency access")
    banner = page.get_by_role("status").filter(has_text="Acceso de emergencia")
    assert banner.is_visible()
    assert page.get_by_role("link", name="Registrar un seguimiento").count() == 0
    glass = BreakGlass.objects.get()
    assert glass.user == cusco and glass.reason == REASON
    banner.get_by_role("button", name="Terminar ahora").click()
    me.look("access ended")
    assert BreakGlass.objects.get().ended_at is not None

    other = browse()  # another office's coordinator reviews nothing of Lima's
    sign_in(other, person("coordinator@cusco", username="cusco.coord"), check=False)
    other.go("/casos/emergencia/registro/", "another office: nothing to review")
    assert other.page.get_by_text(REASON).count() == 0
    assert other.page.get_by_text("Nadie ha roto el vidrio").is_visible()

    boss = browse()
    sign_in(boss, coordinator, check=False)
    boss.go("/supervision/", "supervision board")
    boss.page.locator("a[href=\"/casos/emergencia/registro/\"]", has_text="1").click()
    boss.look("emergency accesses to review")
    assert boss.page.get_by_text(REASON).is_visible()
    boss.page.get_by_label("Comentario (opcional)").fill("La llamé; era real.")
    boss.page.get_by_role("button", name=f"Marcar como revisado {case.code}").click()
    boss.look("reviewed")
    assert BreakGlass.objects.get().reviewed_by == coordinator
