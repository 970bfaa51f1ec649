"""Signing in as a person does: password, then the authenticator; a new account enrols its
authenticator before it reaches anything else."""

import pytest

from amparo.browser.tests.conftest import PASSWORD, sign_in, totp_code

pytestmark = pytest.mark.browser


def test_a_new_account_enrols_an_authenticator_then_reaches_its_home(browse, make_user):
    user = make_user("caseworker@lima", username="nueva.trabajadora", first_name="Nadia",
                     mfa=False)
    me = browse()
    page = me.page
    me.go("/cuenta/login/", "login")
    page.get_by_label("Usuario").fill(user.username)
    page.get_by_label("Contraseña").fill(PASSWORD)
    page.get_by_role("button", name="Ingresar").click()
    # Nothing else is reachable: adding a second factor asks for the password again (so a
    # stolen session cannot add one), then the enrolment page.
    page.wait_for_url("**/reauthenticate/**")
    me.look("password again")
    page.get_by_label("Contraseña").fill(PASSWORD)
    page.get_by_role("button", name="Confirmar").click()
    page.wait_for_url("**/2fa/**")
    me.look("enrolment")
    secret = page.locator("#authenticator_secret").input_value()
    assert len(secret) >= 16
    page.get_by_label("Código del autenticador").fill("000000")
    page.get_by_role("button", name="Activar").click()
    me.look("wrong code")
    assert page.get_by_text("Código incorrecto").is_visible()
    page.get_by_label("Código del autenticador").fill(totp_code(secret))
    page.get_by_role("button", name="Activar").click()
    me.look("recovery codes")
    me.go("/", "home")
    assert page.get_by_role("heading", name="Hola, Nadia").is_visible()


def test_a_wrong_password_says_so_without_saying_whether_the_account_exists(browse, person):
    user = person("coordinator@lima", username="lima.coord")
    me = browse()
    page = me.page
    me.go("/cuenta/login/")
    for name in (user.username, "nadie.existe"):
        page.get_by_label("Usuario").fill(name)
        page.get_by_label("Contraseña").fill("no-es-la-clave")
        page.get_by_role("button", name="Ingresar").click()
        me.look("refused")
        assert page.get_by_text("no son correctos").is_visible()


def test_a_person_signs_in_with_password_and_code(browse, person):
    user = person("coordinator@lima", username="lima.coord", first_name="Rosa")
    me = browse()
    sign_in(me, user)
    me.look("home")
    assert me.page.get_by_role("heading", name="Hola, Rosa").is_visible()
