"""A director approves a role that an administrator asked for, from her home page; the reports
page of another office shows no link to a case it cannot open."""

import pytest

from amparo.accounts import services as account_services
from amparo.accounts.models import Office, RoleGrant
from amparo.browser.tests.conftest import security_key, sign_in

pytestmark = pytest.mark.browser


def test_a_director_approves_a_role_from_her_home_page(browse, person, make_user):
    admin = person("admin", username="teresa.admin")
    director = person("director", username="andrea.dir", first_name="Andrea")
    newcomer = make_user(username="nueva.abogada", first_name="Nadia", last_name="Ríos",
                         mfa=False)
    account_services.user_update(actor=admin, user=newcomer, first_name="Nadia",
                                 last_name="Ríos", email="",
                                 roles=[("lawyer", Office.objects.get(code="cusco"))])
    me = browse()
    page = me.page
    security_key(me)
    sign_in(me, director, check=False)  # her first time: she adds her security key
    me.look("director home")
    region = page.get_by_role("region", name="Roles que esperan tu aprobación")
    region.get_by_role("link", name="Decidir").click()
    me.look("roles to approve")
    page.get_by_role("button", name="Aprobar Área legal · Cusco · nueva.abogada").click()
    # She signed in with her code: approving asks for her key, then her click goes through.
    page.wait_for_url("**/2fa/webauthn/reauthenticate/**")
    me.look("confirm with the key")
    page.get_by_role("button", name="Usar una clave de seguridad").click()
    page.wait_for_url("**/gestion/usuarios/roles-por-aprobar/")
    me.look("role approved")
    assert page.get_by_text("Rol otorgado a Nadia Ríos.").is_visible()
    assert RoleGrant.objects.get().status == "approved"
    assert newcomer.role_assignments.filter(role="lawyer").exists()


def test_an_administrator_makes_an_api_token_and_revokes_it(browse, person):
    admin = person("admin", username="teresa.admin", first_name="Teresa")
    person("caseworker@lima", username="lima.cw", first_name="Lucía")
    me = browse()
    page = me.page
    security_key(me)
    sign_in(me, admin, check=False)
    me.go("/gestion/tokens/", "api tokens")
    page.get_by_label("Cuenta con la que actúa el programa").select_option(
        label="Lucía Quispe Mamani (lima.cw)")
    page.get_by_label("Nombre del programa").fill("Sistema del MIMP")
    page.get_by_label("Qué hace y quién lo pidió").fill(
        "Convenio con el MIMP, pedido por la dirección")
    page.get_by_role("button", name="Crear el token").click()
    page.wait_for_url("**/2fa/webauthn/reauthenticate/**")  # her key, freshly
    page.get_by_role("button", name="Usar una clave de seguridad").click()
    page.locator("main code.user-select-all").wait_for()  # what she typed was kept
    me.look("token made")
    secret = page.locator("main code.user-select-all").inner_text()
    assert secret.startswith("amp_")
    page.get_by_role("button", name="Revocar").first.click()
    me.look("token revoked")
    assert page.get_by_text("revocado").first.is_visible()
