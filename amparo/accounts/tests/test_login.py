import pytest
from django.urls import reverse

from amparo.audit.models import AccessEvent, Action
from amparo.conftest import PASSWORD

LOGIN = "/cuenta/login/"


def post_login(client, username, password, ip="10.0.0.1"):
    return client.post(LOGIN, {"login": username, "password": password}, REMOTE_ADDR=ip)


def test_login_page_speaks_spanish_by_default(client, db):
    response = client.get(LOGIN)
    assert response.status_code == 200
    assert 'lang="es"' in response.content.decode()
    assert "Ingresar a Amparo" in response.content.decode()


def test_there_is_no_public_sign_up(client, db):
    response = client.get("/cuenta/signup/")
    assert "Ingresar a Amparo" not in response.content.decode()
    assert b'name="password1"' not in response.content


def test_a_correct_password_leads_to_the_second_factor_and_nothing_else(client, make_user):
    user = make_user("caseworker@lima")
    response = post_login(client, user.username, PASSWORD)
    assert response.status_code == 302
    assert "/2fa/" in response["Location"]
    assert "_auth_user_id" not in client.session


def test_a_login_without_second_factor_is_recorded(client, make_user):
    user = make_user("caseworker@lima", mfa=False)
    response = post_login(client, user.username, PASSWORD)
    assert response.status_code == 302
    event = AccessEvent.objects.get(action=Action.LOGIN)
    assert event.actor == user and event.ip == "10.0.0.1"


def test_failed_logins_say_the_same_whether_the_account_exists_or_not(client, make_user):
    user = make_user("lawyer@cusco")
    wrong = post_login(client, user.username, "no-es-la-clave-123").content.decode()
    unknown = post_login(client, "nadie.existe", "no-es-la-clave-123").content.decode()
    message = "El usuario y/o la contraseña que ha indicado no son correctos."
    assert message in wrong and message in unknown
    events = AccessEvent.objects.filter(action=Action.LOGIN_FAILED).order_by("id")
    assert [e.actor_username for e in events] == [user.username, ""]
    assert all(e.actor_id is None for e in events)


def test_five_failures_lock_the_user_name_even_for_the_right_password(client, make_user):
    user = make_user("coordinator@puno")
    for _ in range(5):
        post_login(client, user.username, "equivocada-000-x")
    response = post_login(client, user.username, PASSWORD)
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "Demasiados intentos" in response.content.decode()
    assert AccessEvent.objects.filter(action=Action.LOGIN_FAILED,
                                      reason__startswith="locked").exists()


def test_a_locked_user_name_does_not_lock_colleagues_at_the_same_office_address(
    client, make_user
):
    victim, colleague = make_user("lawyer@lima"), make_user("caseworker@lima", mfa=False)
    for _ in range(6):
        post_login(client, victim.username, "equivocada-000-x", ip="200.1.1.1")
    response = post_login(client, colleague.username, PASSWORD, ip="200.1.1.1")
    assert response.status_code == 302


def test_many_failures_from_one_address_throttle_it(client, make_user, settings):
    user = make_user("lawyer@lima", mfa=False)
    for n in range(settings.AMPARO_LOGIN_FAILURES_PER_ADDRESS):
        post_login(client, f"intruso{n}", "equivocada-000-x", ip="203.0.113.9")
    response = post_login(client, user.username, PASSWORD, ip="203.0.113.9")
    assert response.status_code == 200  # the form again, not the way in
    assert "Demasiados intentos" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert not AccessEvent.objects.filter(action=Action.LOGIN, actor=user).exists()
    # The address is throttled, not the account: from elsewhere she signs in.
    elsewhere = post_login(client, user.username, PASSWORD, ip="198.51.100.7")
    assert elsewhere.status_code == 302 and client.session["_auth_user_id"] == str(user.pk)


def test_logout_is_recorded(client, make_user, login):
    user = make_user("caseworker@lima")
    login(user)
    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert AccessEvent.objects.filter(action=Action.LOGOUT, actor=user).count() == 1


@pytest.mark.parametrize("password", ["corta-123", "password1234", "123456789012345"])
def test_weak_passwords_are_refused(admin_user, password):
    from django.core.exceptions import ValidationError

    from amparo.accounts.services import user_create

    with pytest.raises(ValidationError):
        user_create(actor=admin_user, username="nueva.persona", password=password)


def test_passwords_are_hashed_with_argon2(make_user):
    assert make_user("caseworker@lima").password.startswith("argon2")
