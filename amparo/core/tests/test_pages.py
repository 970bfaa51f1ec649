"""Every page renders in Spanish and in English, for the role that uses it, with a fixed
number of queries."""

import re

import pytest
from django.urls import reverse

from amparo.accounts.models import User

SCRIPT_INLINE = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
STYLE_ATTR = re.compile(r"\sstyle\s*=", re.IGNORECASE)
STYLE_TAG = re.compile(r"<style", re.IGNORECASE)


def pages(admin):
    return [
        ("home", reverse("home"), "Inicio"),
        ("account", reverse("account"), "Mi cuenta"),
        ("users", reverse("accounts:users"), "Usuarios"),
        ("user_new", reverse("accounts:user_new"), "Nuevo usuario"),
        ("user", reverse("accounts:user", args=[admin.pk]), "Guardar cambios"),
        ("offices", reverse("accounts:offices"), "Oficinas"),
        ("office_new", reverse("accounts:office_new"), "Nueva oficina"),
        ("office", reverse("accounts:office", args=["cusco"]), "Ubicación de la oficina"),
        ("audit", reverse("audit:events"), "Bitácora de accesos"),
        ("vocabularies", reverse("reference:vocabularies"), "Datos de referencia"),
        ("vocabulary", reverse("reference:vocabulary", args=["forma_explotacion"]), "Código"),
        ("mfa", reverse("mfa_index"), "Verificación en dos pasos"),
        ("sessions", reverse("usersessions_list"), "Mis sesiones"),
        ("password", reverse("account_change_password"), "Cambiar contraseña"),
    ]


@pytest.fixture
def signed_in_admin(client, admin_user, login):
    login(admin_user)
    return admin_user


def assert_clean_markup(html: str) -> None:
    assert not SCRIPT_INLINE.search(html), "inline script: the CSP would block it"
    assert not STYLE_ATTR.search(html) and not STYLE_TAG.search(html), "inline style"


def test_every_page_renders_in_spanish_without_inline_code(client, signed_in_admin):
    for name, url, spanish in pages(signed_in_admin):
        response = client.get(url)
        html = response.content.decode()
        assert response.status_code == 200, name
        assert '<html lang="es">' in html, name
        assert spanish in html, name
        assert_clean_markup(html)


def test_every_page_renders_in_english_after_the_switch(client, signed_in_admin):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    for name, url, _spanish in pages(signed_in_admin):
        html = client.get(url).content.decode()
        assert '<html lang="en">' in html, name
    assert "Access log" in client.get(reverse("audit:events")).content.decode()
    assert "Home" in client.get(reverse("home")).content.decode()


def test_public_pages_render_in_both_languages(client, db):
    for lang, text in (("es", "Ingresar a Amparo"), ("en", "Sign in to Amparo")):
        client.cookies["django_language"] = lang
        for url in (reverse("account_login"), reverse("account_reset_password")):
            response = client.get(url)
            assert response.status_code == 200
            assert f'<html lang="{lang}">' in response.content.decode()
            assert_clean_markup(response.content.decode())
        assert text in client.get(reverse("account_login")).content.decode()


@pytest.mark.parametrize("role, allowed, refused", [
    ("caseworker@lima", ["home", "vocabularies"], ["users", "offices", "audit"]),
    ("coordinator@lima", ["home", "audit"], ["users", "offices"]),
    ("director", ["home", "audit"], ["users", "offices"]),
    ("researcher", ["home", "vocabularies"], ["users", "audit"]),
    ("prevention@puno", ["home"], ["users", "offices", "audit"]),
])
def test_each_role_reaches_only_its_pages(client, make_user, login, role, allowed, refused):
    user = make_user(role)
    login(user)
    urls = {name: url for name, url, _ in pages(user)}
    for name in allowed:
        assert client.get(urls[name]).status_code == 200, name
    for name in refused:
        response = client.get(urls[name])
        assert response.status_code == 403, name
        assert "Su rol no da acceso a esta página" in response.content.decode()


def test_the_menu_shows_only_what_the_role_may_use(client, make_user, login):
    login(make_user("caseworker@lima"))
    html = client.get(reverse("home")).content.decode()
    assert reverse("accounts:users") not in html
    assert reverse("reference:vocabularies") in html


def test_the_account_page_shows_the_roles_and_what_they_allow(client, make_user, login):
    login(make_user("coordinator@iquitos"))
    html = client.get(reverse("account")).content.decode()
    assert "Coordinación de oficina · Iquitos" in html
    assert "Aprobar planes de atención: su oficina (Iquitos)" in html
    assert "Equipos" in client.get(reverse("home")).content.decode()


def test_a_missing_page_answers_in_spanish(client, signed_in_admin):
    response = client.get("/no-existe/")
    assert response.status_code == 404
    assert "Esta página no existe" in response.content.decode()


@pytest.mark.parametrize("name, extra_users, queries", [
    ("users", 20, 14),
    ("audit", 20, 11),
    ("offices", 20, 11),
    ("home", 20, 17),
])
def test_list_pages_use_a_fixed_number_of_queries(
    client, signed_in_admin, make_user, django_assert_num_queries, name, extra_users, queries
):
    url = {n: u for n, u, _ in pages(signed_in_admin)}[name]
    client.get(url)  # warm the session
    with django_assert_num_queries(queries):
        client.get(url)
    for n in range(extra_users):
        make_user(f"caseworker@{['lima', 'cusco', 'puno'][n % 3]}", username=f"extra{n}")
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200
    assert User.objects.count() > extra_users
