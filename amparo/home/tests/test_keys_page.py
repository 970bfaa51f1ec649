"""Issue 16, finding 10: tokens are made only by an administrator, in the application, with a
reason; the secret is shown once; tokens are listed with who made them and can be revoked."""

from django.urls import reverse

from amparo.api.models import ApiToken
from amparo.audit.models import AccessEvent
from amparo.conftest import second_factor_given


def test_an_administrator_makes_a_token_with_a_reason_and_sees_it_once(team, login, client):
    from amparo.accounts.models import Office
    from amparo.accounts.services import user_create

    admin = team["admin"]
    # An integration is a service account whose roles were approved (here given at setup).
    worker = user_create(actor=None, username="sistema.mimp", password="", first_name="Sistema",
                         last_name="MIMP", service=True,
                         roles=[("caseworker", Office.objects.get(code="lima"))])
    login(admin)
    url = reverse("tokens:list")
    refused = client.post(url, {"action": "create", "user": worker.pk, "name": "MIMP",
                                "days": 365, "reason": "x"})
    assert refused.status_code == 200 and not ApiToken.objects.exists()
    page = client.post(url, {"action": "create", "user": worker.pk, "name": "Sistema MIMP",
                             "days": 30, "reason": "Convenio con el MIMP, pedido por la directora"})
    token = ApiToken.objects.get()
    secret = page.context["secret"]
    assert secret.startswith(f"amp_{token.prefix}_") and secret in page.content.decode()
    assert token.created_by == admin
    assert secret not in client.get(url).content.decode()  # never again
    event = AccessEvent.objects.get(object_type="api_token", action="create")
    assert event.actor == admin and "Convenio con el MIMP" not in event.reason  # sealed
    assert token.reason == "Convenio con el MIMP, pedido por la directora"
    assert secret not in event.reason
    # The program uses it; then she revokes it.
    client.logout()
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {secret}"
    assert client.get("/api/v1/cases/").status_code == 200
    del client.defaults["HTTP_AUTHORIZATION"]
    login(admin)
    client.post(url, {"action": "revoke", "token": token.pk})
    client.logout()
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {secret}"
    assert client.get("/api/v1/cases/").status_code == 401


def test_only_an_administrator_with_a_fresh_key_makes_one(team, login, client):
    url = reverse("tokens:list")
    for who in ("coordinator", "director", "caseworker"):
        login(team[who])
        assert client.get(url).status_code == 403
    admin = team["admin"]
    login(admin)
    second_factor_given(client, admin, seconds_ago=900)
    response = client.post(url, {"action": "create", "user": team["caseworker"].pk,
                                 "name": "x", "days": 30, "reason": "Prueba de integración"})
    assert response.status_code == 302 and "webauthn/reauthenticate" in response["Location"]
    assert not ApiToken.objects.exists()


def test_an_administrator_lists_and_revokes_calendar_addresses(team, login, client):
    from amparo.legal import services as legal_services
    from amparo.legal.selectors import feed_owner

    lawyer = team["lawyer"]
    token = legal_services.calendar_feed_create(actor=lawyer)
    assert feed_owner(token) == lawyer
    login(team["admin"])
    page = client.get(reverse("tokens:list"))
    feed = page.context["feeds"][0]
    assert feed.user == lawyer and lawyer.username in page.content.decode()
    client.post(reverse("tokens:list"), {"action": "revoke_feed", "feed": feed.pk})
    assert feed_owner(token) is None
    assert AccessEvent.objects.filter(object_type="calendar_feed", actor=team["admin"],
                                      object_id=str(lawyer.pk), reason="revoked").exists()
