"""Shared fixtures: people with roles in the seeded offices (the migrations create them)."""

import factory
import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from amparo.accounts.models import Office, RoleAssignment, User
from amparo.accounts.passkeys import passkey_required
from amparo.cases import services as case_services
from amparo.cases.models import Case
from amparo.cases.tests.samples import CASE, IDENTITY

PASSWORD = "Correcto-Caballo-Bateria-17"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Rosa"
    last_name = "Quispe Mamani"
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)


@pytest.fixture
def make_user(db):
    """make_user("coordinator@lima", "lawyer@cusco", mfa=True) -> a saved user."""

    def make(*roles: str, mfa: bool = True, **fields) -> User:
        user = UserFactory(**fields)
        user.save()
        for spec in roles:
            role, _sep, office = spec.partition("@")
            RoleAssignment.objects.create(
                user=user, role=role, office=Office.objects.get(code=office) if office else None
            )
        if mfa:
            TOTP.activate(user, generate_totp_secret())
            if passkey_required(user):  # administrators and the direction also hold a key
                Authenticator.objects.create(user=user, type=Authenticator.Type.WEBAUTHN, data={
                    "name": "Llave de prueba", "credential": {}, "passwordless": False})
        return user

    return make


@pytest.fixture
def office(db):
    return lambda code: Office.objects.get(code=code)


@pytest.fixture
def login(client):
    """Log a user into the test client (after password and second factor)."""

    def do(user, client=client):
        client.force_login(user)
        second_factor_given(client, user)
        return client

    return do


def second_factor_given(client, user, seconds_ago: float = 0) -> None:
    """Record in the client's session that the user gave her second factor `seconds_ago`, as
    allauth does at sign-in (force_login records nothing)."""
    import time

    session = client.session
    at = time.time() - seconds_ago
    session["account_authentication_methods"] = [
        {"method": "password", "at": at, "username": user.username},
        {"method": "mfa", "at": at,
         "type": "webauthn" if passkey_required(user) else "totp"}]
    session["account_authentication_methods_user"] = str(user.pk)
    session.save()


@pytest.fixture
def password_login(client):
    """Sign in through the real login form (records the authentication, unlike force_login)."""

    def do(user, client=client):
        response = client.post("/cuenta/login/", {"login": user.username, "password": PASSWORD})
        assert response.status_code == 302, response.content
        return client

    return do


@pytest.fixture
def admin_user(make_user):
    return make_user("admin", username="teresa.admin")


@pytest.fixture
def team(make_user):
    """Lima: coordinator, two caseworkers, psychologist, lawyer; Cusco: coordinator,
    caseworker; and the director, researcher, prevention and admin."""
    return {
        "coordinator": make_user("coordinator@lima", username="lima.coord"),
        "caseworker": make_user("caseworker@lima", username="lima.cw"),
        "other_caseworker": make_user("caseworker@lima", username="lima.cw2"),
        "psychologist": make_user("psychologist@lima", username="lima.psy"),
        "lawyer": make_user("lawyer@lima", username="lima.law"),
        "other_psychologist": make_user("psychologist@lima", username="lima.psy2"),
        "other_lawyer": make_user("lawyer@lima", username="lima.law2"),
        "cusco_coordinator": make_user("coordinator@cusco", username="cusco.coord"),
        "cusco_caseworker": make_user("caseworker@cusco", username="cusco.cw"),
        "director": make_user("director", username="dir"),
        "researcher": make_user("researcher", username="res"),
        "prevention": make_user("prevention@lima", username="lima.prev"),
        "admin": make_user("admin", username="adm"),
    }


@pytest.fixture
def make_case(team, office):
    def make(*, office_code="lima", worker=None, identity=None, case=None, **extra) -> Case:
        worker = worker or team["caseworker" if office_code == "lima" else "cusco_caseworker"]
        new = case_services.case_intake(
            actor=worker, office=office(office_code), identity={**IDENTITY, **(identity or {})},
            contacts="+51 987 654 321 (hermana)", address="Jr. Los Pinos 123, Puente Piedra",
            case={**CASE, **(case or {})}, **extra,
        )
        if office_code == "lima":
            new.psychologist, new.lawyer = team["psychologist"], team["lawyer"]
            new.save(update_fields=["psychologist", "lawyer"])
        return Case.objects.select_related("data_key", "office", "person").get(pk=new.pk)

    return make


@pytest.fixture(autouse=True)
def _quick_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["amparo.accounts.tests.hashers.QuickArgon2PasswordHasher"]


@pytest.fixture(autouse=True)
def _plain_static_files(settings):
    # Production serves hashed files collected by `collectstatic`; tests read the sources.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.AMPARO_AUDIT_ANCHOR = tmp_path / "audit-anchors.jsonl"


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """Tests marked `postgres` need PostgreSQL: skipped on SQLite with the reason, run in CI."""
    from django.conf import settings

    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        skip = pytest.mark.skip(reason="needs PostgreSQL (set DATABASE_URL; CI runs it)")
        for item in items:
            if "postgres" in item.keywords:
                item.add_marker(skip)
    # The browser tests last, after pytest-django's own ordering (they let the ORM run beside
    # Playwright's event loop, which no other test should inherit).
    items.sort(key=lambda item: "browser" in item.keywords)


@pytest.fixture
def audit_lock(db) -> int:
    """Queries a request that writes an access event pays beyond SQLite's: on PostgreSQL, the
    advisory lock that serialises the audit chain. Add it to a pinned query count."""
    from django.db import connection

    return 1 if connection.vendor == "postgresql" else 0


@pytest.fixture(scope="session")
def dead_worker() -> str:
    """The mark (core.liveness) of a worker process on this host that has ended, as a run
    taken by a worker later killed records it."""
    import subprocess
    import sys

    from amparo.core.liveness import process_mark

    child = subprocess.Popen([sys.executable, "-c", "import os; print(os.getpid())"],
                             stdout=subprocess.PIPE, text=True)
    pid = int(child.stdout.read())
    child.wait()
    return process_mark().rsplit(":", 2)[0] + f":{pid}:1"


@pytest.fixture
def api(client):
    """A test client that speaks to /api/v1/ with a fresh token of the given user."""
    def as_user(user):
        from io import StringIO

        from django.core.management import call_command

        out = StringIO()
        call_command("token", "create", user.username, "--reason",
                     "Integración con el sistema de pruebas", stdout=out, stderr=StringIO())
        client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {out.getvalue().strip()}"
        return client

    return as_user


@pytest.fixture
def directory(db):
    """A small institutions directory in Lima: a trafficking prosecutor, two courts, a CEM, a
    health centre and a shelter."""
    from amparo.referrals.models import Institution

    def make(kind, name, provides=(), acronym=""):
        return Institution.objects.create(kind=kind, name=name, acronym=acronym, ubigeo="150101",
                                          provides=list(provides), search_text=name.lower())

    return {
        "fistrap": make("fistrap", "Fiscalía Especializada en Trata de Lima", ["denuncia"],
                        "FISTRAP"),
        "jip": make("juzgado", "Juzgado de Investigación Preparatoria de Lima", acronym="JIP"),
        "jpc": make("juzgado", "Juzgado Penal Colegiado de Lima", acronym="JPC"),
        "cem": make("cem", "Centro Emergencia Mujer Lima", ["proteccion", "salud_mental"], "CEM"),
        "health": make("salud", "Hospital de Lima", ["salud"]),
        "shelter": make("acogida", "Espacio de Acogida Temporal Lima", ["albergue"]),
    }
