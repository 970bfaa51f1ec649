from django.urls import reverse

from amparo.accounts.models import User
from amparo.audit import services
from amparo.audit.models import AccessEvent, Action


def test_a_request_whose_event_cannot_be_written_fails_and_saves_nothing(
    client, admin_user, login, monkeypatch
):
    login(admin_user)

    def broken(events):
        raise RuntimeError("audit table unavailable")

    monkeypatch.setattr(services, "events_write", broken)
    client.raise_request_exception = False
    response = client.post(reverse("accounts:user_new"), {
        "username": "nueva.persona", "first_name": "Ana", "last_name": "Soto Ruiz",
        "password1": "Otra-Clave-Segura-2026", "password2": "Otra-Clave-Segura-2026",
        "roles": ["caseworker@lima"],
    })
    assert response.status_code == 500
    assert not User.objects.filter(username="nueva.persona").exists()


def test_events_of_a_request_are_written_in_its_transaction(client, admin_user, login):
    login(admin_user)
    response = client.post(reverse("accounts:user_new"), {
        "username": "nueva.persona", "first_name": "Ana", "last_name": "Soto Ruiz",
        "password1": "Otra-Clave-Segura-2026", "password2": "Otra-Clave-Segura-2026",
        "roles": ["caseworker@lima"],
    })
    assert response.status_code == 302
    user = User.objects.get(username="nueva.persona")
    event = AccessEvent.objects.get(action=Action.CREATE, object_type="user")
    assert event.object_id == str(user.pk) and event.actor == admin_user
    assert "caseworker@lima" in event.reason
