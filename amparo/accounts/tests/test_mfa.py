from allauth.mfa.models import Authenticator
from django.urls import reverse

from amparo.audit.models import AccessEvent, Action
from amparo.conftest import PASSWORD


def test_an_account_without_second_factor_reaches_only_the_enrolment_page(
    client, make_user, password_login
):
    password_login(make_user("coordinator@lima", mfa=False))
    for url in (reverse("home"), reverse("accounts:users"), reverse("audit:events")):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == reverse("mfa_activate_totp")
    # Adding a second factor asks for the password again, so a stolen session cannot add one.
    response = client.get(reverse("mfa_activate_totp"))
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    asked = client.get(response["Location"])
    assert asked.status_code == 200 and b'name="password"' in asked.content


def test_htmx_requests_are_sent_to_enrolment_too(client, make_user, login):
    login(make_user("coordinator@lima", mfa=False))
    response = client.get(reverse("home"), HTTP_HX_REQUEST="true")
    assert response["HX-Redirect"] == reverse("mfa_activate_totp")


def _at_home(response, user) -> bool:
    """The home page itself, for this user (not the enrolment page, not someone else's)."""
    return (response.status_code == 200
            and "home/home.html" in [t.name for t in response.templates]
            and response.context["user"] == user)


def test_an_enrolled_account_reaches_its_home(client, make_user, login):
    user = make_user("coordinator@lima")
    login(user)
    assert _at_home(client.get(reverse("home")), user)


def test_demo_mode_does_not_require_a_second_factor(client, make_user, login, settings):
    settings.AMPARO_DEMO = True
    user = make_user("coordinator@lima", mfa=False)
    login(user)
    assert _at_home(client.get(reverse("home")), user)
    settings.AMPARO_DEMO = False  # outside demo mode the same account is sent to enrol
    assert client.get(reverse("home"))["Location"] == reverse("mfa_activate_totp")


def test_enrolling_totp_is_recorded_and_unlocks_the_account(
    client, make_user, password_login, django_capture_on_commit_callbacks
):
    from allauth.mfa.totp.internal.auth import hotp_value, yield_hotp_counters_from_time

    user = make_user("lawyer@cusco", mfa=False)
    password_login(user)
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    enrolment = client.get(reverse("mfa_activate_totp"))
    assert enrolment.status_code == 200 and b'name="code"' in enrolment.content
    secret = client.session["mfa.totp.secret"]
    code = f"{hotp_value(secret, next(yield_hotp_counters_from_time())):06d}"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("mfa_activate_totp"), {"code": code})
    assert response.status_code == 302
    assert AccessEvent.objects.filter(action=Action.MFA_ENROLLED, actor=user).exists()
    assert Authenticator.objects.filter(user=user, type="totp").exists()
    assert _at_home(client.get(reverse("home")), user)


def test_totp_secrets_are_stored_sealed_under_the_key_ring(make_user):
    user = make_user("caseworker@lima")
    stored = Authenticator.objects.get(user=user, type="totp").data["secret"]
    assert stored.startswith("v1:test2:")


def test_users_cannot_remove_their_second_factor_outside_the_demo(client, make_user, login):
    user = make_user("caseworker@lima")
    login(user)
    client.post(reverse("mfa_deactivate_totp"))
    assert Authenticator.objects.filter(user=user, type="totp").exists()


def test_the_recovery_codes_page_shows_the_codes(make_user, login, client):
    """The page rendered an empty box: the field element had no textarea."""
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

    user = make_user("caseworker@lima")
    codes = RecoveryCodes.activate(user).get_unused_codes()
    login(user)
    session = client.session  # allauth shows them just after a confirmation of the password
    session["account_authentication_methods"][-1]["reauthenticated"] = True
    session.save()
    html = client.get(reverse("mfa_view_recovery_codes")).content.decode()
    assert "<textarea" in html and all(code in html for code in codes)
