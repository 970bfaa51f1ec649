"""Browser fixtures: Debian's Chromium through Playwright, against Django's live server.

Each journey runs at 360×800 (a phone) and 1280×800 (an office laptop). The live server works
on the test database, so these tests are transactional: the rows that the migrations load
(offices, UBIGEO, vocabularies, rules) are put back before each test by a serialized rollback.
Under CI=true a missing browser fails the run instead of skipping it.
"""

import os
import time
from unittest import mock

import pytest
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.apps import apps
from django.core.cache import cache
from django.db import connection, transaction

from amparo.accounts.passkeys import has_passkey, passkey_required
from amparo.browser.look import VIEWPORTS, Looker, chromium_path, launch, new_context
from amparo.conftest import PASSWORD

ASYNC_UNSAFE = {"DJANGO_ALLOW_ASYNC_UNSAFE": "true"}


@pytest.fixture(scope="session")
def chromium():
    if chromium_path() is None:
        message = ("Chromium is not installed (sudo apt-get install chromium); `make test` "
                   "installs it")
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch(playwright)
        yield browser
        browser.close()


@pytest.fixture(params=list(VIEWPORTS))
def viewport(request):
    return request.param


@pytest.fixture
def browse(chromium, viewport, live_server, request, migrated_rows):
    """browse("journey") -> a Looker on a fresh page (its own cookies) at this viewport;
    call it twice for two people, or for two tabs of one person use looker.page.context."""
    contexts = []

    def open_page(journey: str | None = None, *, context=None) -> Looker:
        if context is None:
            context = new_context(chromium, viewport)
            contexts.append(context)
        page = context.new_page()
        looker = Looker(page, journey or request.node.originalname, viewport)
        looker.base = live_server.url
        return looker

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture(scope="session", autouse=True)
def _orm_beside_playwright():
    # Playwright's sync API keeps an event loop in this thread; the ORM calls that set up and
    # check each journey (and Django's flush after each) run between its calls, never inside
    # it. The browser tests run after every other test (amparo/conftest.py), so a deploy check
    # elsewhere still refuses the variable.
    with mock.patch.dict(os.environ, ASYNC_UNSAFE):
        yield


@pytest.fixture(scope="session")
def _rows_after_migrations(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        return [(model, rows) for model in apps.get_models(include_auto_created=True)
                if model._meta.managed and not model._meta.proxy
                and (rows := list(model._base_manager.all()))]


@pytest.fixture
def migrated_rows(_rows_after_migrations, transactional_db):
    with connection.constraint_checks_disabled(), transaction.atomic():
        for model, rows in _rows_after_migrations:
            if not model._base_manager.exists():
                model._base_manager.bulk_create(rows)


@pytest.fixture(autouse=True)
def _fresh_throttles_and_codes(db):
    # The cache (a table no flush empties) remembers used TOTP codes and failed logins.
    cache.clear()


def totp_code(secret: str) -> str:
    """The code an authenticator app shows now; near the end of its 30 seconds, the next one
    (a code computed at 29.9 s would reach the server already expired)."""
    left = 30 - time.time() % 30
    if left < 4:
        time.sleep(left + 0.1)
    return format_hotp_value(hotp_value(secret, next(yield_hotp_counters_from_time())))


@pytest.fixture
def person(make_user):
    """person("caseworker@lima", username=…) -> a user whose authenticator secret the test
    knows (user.totp_secret), so that it signs in as a person does."""

    def make(*roles, **fields):
        user = make_user(*roles, mfa=False, **fields)
        user.totp_secret = generate_totp_secret()
        TOTP.activate(user, user.totp_secret)
        return user

    return make


def sign_in(looker: Looker, user, *, check: bool = True) -> None:
    """Password, then the authenticator's code, as on the login pages. An administrator or a
    director without a security key yet is asked to add one: `security_key(looker)` first."""
    page = looker.page
    page.goto(looker.base + "/cuenta/login/")
    if check:
        looker.look("login")
    page.get_by_label("Usuario").fill(user.username)
    page.get_by_label("Contraseña").fill(PASSWORD)
    page.get_by_role("button", name="Ingresar").click()
    page.locator("main input[name=code]").fill(totp_code(user.totp_secret))
    if check:
        looker.look("second factor")
    page.get_by_role("button", name="Iniciar sesión").click()
    if passkey_required(user) and not has_passkey(user):
        page.wait_for_url("**/cuenta/reauthenticate/**")  # adding a key asks the password again
        looker.look("add a key: password again")
        page.get_by_label("Contraseña").fill(PASSWORD)
        page.get_by_role("button", name="Confirmar").click()
        page.wait_for_url("**/2fa/webauthn/add/")
        looker.look("add a security key")
        page.get_by_label("Nombre de la llave").fill("Llave de la oficina")
        page.get_by_role("button", name="Agregar").click()
        page.wait_for_url(lambda url: "/webauthn/add/" not in url)
        looker.look("security key added")
        assert has_passkey(user)
        page.goto(looker.base + "/")
    page.wait_for_url(looker.base + "/")


def security_key(looker: Looker):
    """A passkey in this browser (Chromium's virtual authenticator, as a phone's screen lock
    or a USB key would answer), for the whole context."""
    cdp = looker.page.context.new_cdp_session(looker.page)
    cdp.send("WebAuthn.enable")
    cdp.send("WebAuthn.addVirtualAuthenticator", {"options": {
        "protocol": "ctap2", "transport": "internal", "hasResidentKey": True,
        "hasUserVerification": True, "isUserVerified": True,
        "automaticPresenceSimulation": True}})
    return cdp
