import time

from allauth.usersessions.models import UserSession
from django.test import Client
from django.urls import reverse

from amparo.accounts import sessions
from amparo.accounts.services import user_deactivate
from amparo.audit.models import AccessEvent, Action


def age_session(client, **seconds_ago):
    session = client.session
    now = time.time()
    for key, ago in seconds_ago.items():
        session[getattr(sessions, key)] = now - ago
    session.save()


def test_thirty_minutes_without_activity_end_the_session(client, make_user, login):
    login(make_user("caseworker@lima"))
    client.get(reverse("home"))
    age_session(client, LAST_SEEN=31 * 60)
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"].startswith("/cuenta/login/")
    assert "_auth_user_id" not in client.session
    assert AccessEvent.objects.filter(action=Action.SESSION_EXPIRED, reason="idle").exists()


def test_twenty_nine_minutes_without_activity_keep_it(client, make_user, login):
    login(make_user("caseworker@lima"))
    client.get(reverse("home"))
    age_session(client, LAST_SEEN=29 * 60)
    assert client.get(reverse("home")).status_code == 200


def test_twelve_hours_after_login_the_session_ends_however_active(client, make_user, login):
    login(make_user("caseworker@lima"))
    client.get(reverse("home"))
    age_session(client, LOGIN_AT=12 * 3600 + 5, LAST_SEEN=10)
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert AccessEvent.objects.filter(action=Action.SESSION_EXPIRED, reason="absolute").exists()


def test_deactivating_a_user_ends_all_her_sessions_at_once(make_user, admin_user):
    user = make_user("caseworker@lima")
    phone, laptop = Client(), Client()
    for c in (phone, laptop):
        c.force_login(user)
        assert c.get(reverse("home")).status_code == 200  # usersessions records the session
    assert UserSession.objects.filter(user=user).count() == 2
    assert user_deactivate(actor=admin_user, user=user, reason="Dejó la organización") == 2
    for c in (phone, laptop):
        assert c.get(reverse("home")).status_code == 302
    assert not UserSession.objects.filter(user=user).exists()


def test_users_see_and_end_their_own_sessions(make_user):
    user = make_user("lawyer@puno")
    phone, laptop = Client(), Client()
    for c in (phone, laptop):
        c.force_login(user)
        c.get(reverse("home"))
    page = laptop.get(reverse("usersessions_list"))
    assert page.status_code == 200
    response = laptop.post(reverse("usersessions_list"))  # "end the other sessions"
    assert response.status_code == 302
    assert phone.get(reverse("home")).status_code == 302
    assert laptop.get(reverse("home")).status_code == 200
    assert AccessEvent.objects.filter(action=Action.SESSION_ENDED, actor=user).count() == 1
