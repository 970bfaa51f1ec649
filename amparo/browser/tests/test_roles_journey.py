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
    region = page.get_by_role("region", name="Roles que esperan su aprobación")
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


def test_an_administrator_makes_an_api_token_and_revokes_it(browse, person, make_user):
    admin = person("admin", username="teresa.admin", first_name="Teresa")
    person("caseworker@lima", username="lima.cw", first_name="Lucía")
    robot = account_services.user_create(actor=None, username="sistema.mimp", password="",
                                         first_name="Sistema", last_name="MIMP", service=True)
    me = browse()
    page = me.page
    security_key(me)
    sign_in(me, admin, check=False)
    me.go("/gestion/tokens/", "api tokens")
    account = page.get_by_label("Cuenta con la que actúa el programa")
    options = account.locator("option").all_inner_texts()
    assert not any("lima.cw" in o for o in options)  # never as another person
    account.select_option(label=f"Sistema MIMP ({robot.username})")
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


def test_an_administrator_cannot_take_the_directors_account(browse, person, make_user):
    """Issue 32: tokens, e-mail and second factor, tried on the director, are stopped or wait
    for a director who is not her."""
    admin = person("admin", username="teresa.admin", first_name="Teresa")
    director = person("director", username="andrea.dir", first_name="Andrea",
                      email="andrea@ejemplo.pe")
    me = browse()
    page = me.page
    security_key(me)
    sign_in(me, admin, check=False)
    me.go("/gestion/tokens/", "tokens: no one else to act as")
    options = page.get_by_label("Cuenta con la que actúa el programa").locator(
        "option").all_inner_texts()
    assert not any("andrea.dir" in o for o in options)

    make_user("caseworker@lima", mfa=False, username="lucia.sinfactor")
    me.go("/", "admin's home")
    page.get_by_role("region", name="Cuentas").get_by_role("link", name="1").click()
    me.look("people without a second factor")  # on a phone, each row says what each cell is
    assert page.get_by_role("cell", name="lucia.sinfactor").is_visible()
    assert page.get_by_text("Caseworker", exact=False).count() + page.get_by_text(
        "Trabajo social", exact=False).count() > 0

    me.go(f"/gestion/usuarios/{director.pk}/", "director's account")
    page.get_by_label("Correo electrónico").fill("teresa.otra@ejemplo.pe")
    page.get_by_role("button", name="Guardar cambios").click()
    page.wait_for_url("**/2fa/webauthn/reauthenticate/**")  # her key, freshly
    page.get_by_role("button", name="Usar una clave de seguridad").click()
    page.wait_for_url(f"**/gestion/usuarios/{director.pk}/")
    me.look("e-mail change waits")
    assert page.get_by_text("cuando el correo anterior y el nuevo lo confirman").is_visible()
    director.refresh_from_db()
    assert director.email == "andrea@ejemplo.pe"

    page.locator("#mfa-reason").fill("Dice que perdió el celular")
    page.get_by_role("button", name="Restablecer", exact=True).click()
    page.wait_for_url(f"**/gestion/usuarios/{director.pk}/")
    me.look("second factor reset waits")
    assert page.get_by_text("espera la aprobación de una directora").is_visible()
    assert director.authenticator_set.exists()

    boss = browse()
    security_key(boss)
    sign_in(boss, director, check=False)
    boss.go("/gestion/usuarios/roles-por-aprobar/", "nothing of her own to decide")
    assert boss.page.get_by_text("Ningún cambio de cuenta espera su aprobación.").is_visible()
