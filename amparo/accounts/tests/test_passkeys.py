"""Issue 16, finding 17: administrators and the direction hold a security key or passkey
(WebAuthn) besides their authenticator app, and confirm with it, freshly, before granting
roles; everyone confirms a fresh second factor before granting, exporting or breaking the
glass."""

import time

import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse

from amparo.conftest import second_factor_given


@pytest.mark.parametrize("role", ["admin", "director"])
def test_a_role_that_decides_who_reads_needs_a_key_before_anything(make_user, login, client,
                                                                   role):
    user = make_user(role)
    Authenticator.objects.filter(user=user, type=Authenticator.Type.WEBAUTHN).delete()
    login(user)
    response = client.get("/")
    assert response.status_code == 302 and response["Location"] == reverse("mfa_add_webauthn")
    adding = client.get(reverse("mfa_add_webauthn"))  # allauth asks for the password again
    assert adding.status_code == 302
    assert "next=%2Fcuenta%2F2fa%2Fwebauthn%2Fadd" in adding["Location"]
    assert client.get(adding["Location"]).status_code == 200  # the middleware lets her through


def test_a_caseworker_needs_no_key(make_user, login, client):
    login(make_user("caseworker@lima"))
    assert client.get("/").status_code == 200


def test_an_administrator_confirms_with_her_key_not_a_code(make_user, login, client):
    admin = make_user("admin", username="adm")
    newcomer = make_user(username="nuevo")
    login(admin)
    session = client.session
    session["account_authentication_methods"] = [
        {"method": "mfa", "at": time.time(), "type": "totp"}]
    session.save()
    url = reverse("accounts:user", args=[newcomer.pk])
    posted = {"first_name": "Nuevo", "last_name": "Ríos", "email": "",
              "roles": ["caseworker@lima"]}
    response = client.post(url, posted)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_reauthenticate_webauthn"))
    assert not newcomer.role_assignments.exists() and not newcomer.role_grants.exists()


def test_a_second_factor_older_than_five_minutes_is_asked_again(make_user, login, client):
    director = make_user("director", username="dir")
    login(director)
    second_factor_given(client, director, seconds_ago=301)
    response = client.post(reverse("accounts:grants"), {"grant": "1", "decision": "approve"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_reauthenticate_webauthn"))
    second_factor_given(client, director, seconds_ago=10)
    assert client.post(reverse("accounts:grants"), {"grant": "1", "decision": "approve"}
                       ).status_code == 404  # through the guard: no such request


def test_an_export_asks_for_a_fresh_factor_too(make_user, login, client):
    coordinator = make_user("coordinator@lima")
    login(coordinator)
    second_factor_given(client, coordinator, seconds_ago=3600)
    # An import's report repeats the file's rows, names included: an export.
    url = reverse("imports:report", args=["00000000-0000-0000-0000-000000000000"])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_reauthenticate"))
