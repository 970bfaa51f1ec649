"""Issue 16, finding 1: nobody gives herself a role; a role that reads case content (or the
administrator role) is held only after a second person approves, and the access log says what
the roles were before and after."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from amparo.accounts import services
from amparo.accounts.forms import ORG
from amparo.accounts.models import Office, RoleGrant
from amparo.audit.models import AccessEvent
from amparo.cases.models import Case


def _post_roles(client, user, roles):
    data = {"first_name": user.first_name, "last_name": user.last_name, "email": "x@example.org"}
    for role, office in roles:
        data.setdefault("roles", []).append(f"{role}@{office or ORG}")
    return client.post(reverse("accounts:user", args=[user.pk]), data)


def test_an_admin_cannot_give_herself_the_director_role(client, login, team, make_case):
    cusco_case = make_case(office_code="cusco")
    login(team["admin"])
    with pytest.raises(ValidationError):
        services.user_update(actor=team["admin"], user=team["admin"], first_name="T",
                             last_name="A", email="", roles=[("admin", None), ("director", None)])
    response = _post_roles(client, team["admin"], [("admin", None), ("director", None)])
    assert "Nadie cambia sus propios roles" in response.content.decode()
    assert not team["admin"].role_assignments.filter(role="director").exists()
    assert not RoleGrant.objects.exists()
    # Through the API too: she reads nothing of another office.
    response = client.get(f"/api/v1/cases/{cusco_case.code}/notes/")
    assert response.status_code in (403, 404)
    assert Case.objects.filter(pk=cusco_case.pk).exists()


def test_a_content_role_waits_for_a_director(team, make_user):
    newcomer = make_user(username="nueva")
    services.user_update(actor=team["admin"], user=newcomer, first_name="Nadia", last_name="R",
                         email="", roles=[("caseworker", Office.objects.get(code="lima")),
                                          ("prevention", Office.objects.get(code="puno"))])
    held = set(newcomer.role_assignments.values_list("role", flat=True))
    assert held == {"prevention"}  # reads no case: given at once
    grant = RoleGrant.objects.get(user=newcomer)
    assert (grant.role, grant.status) == ("caseworker", "pending")
    event = AccessEvent.objects.filter(object_type="user", object_id=str(newcomer.pk)).latest(
        "occurred_at")
    assert "roles before: -" in event.reason and "asked for approval: caseworker@lima" in (
        event.reason)

    with pytest.raises(ValidationError):  # the one who asked does not approve
        services.grant_decide(actor=team["admin"], grant=grant, approve=True)
    services.grant_decide(actor=team["director"], grant=grant, approve=True)
    assert newcomer.role_assignments.filter(role="caseworker").exists()
    event = AccessEvent.objects.filter(object_type="user", object_id=str(newcomer.pk)).latest(
        "occurred_at")
    assert "approved (asked by adm)" in event.reason
    assert "after: caseworker@lima, prevention@puno" in event.reason


def test_the_admin_role_needs_another_admin(team, make_user):
    second_admin = make_user("admin", username="adm2")
    helper = make_user(username="ayudante")
    services.user_update(actor=team["admin"], user=helper, first_name="A", last_name="B",
                         email="", roles=[("admin", None)])
    grant = RoleGrant.objects.get(user=helper)
    with pytest.raises(ValidationError):
        services.grant_decide(actor=team["director"], grant=grant, approve=True)
    services.grant_decide(actor=second_admin, grant=grant, approve=False)
    grant.refresh_from_db()
    assert grant.status == "refused"
    assert not helper.role_assignments.exists()


def test_the_director_approves_on_her_page_and_sees_it_on_her_home(client, login, team,
                                                                    make_user):
    newcomer = make_user(username="nueva", first_name="Nadia")
    services.user_update(actor=team["admin"], user=newcomer, first_name="Nadia", last_name="R",
                         email="", roles=[("lawyer", Office.objects.get(code="cusco"))])
    login(team["director"])
    home = client.get(reverse("home")).content.decode()
    assert "Roles que esperan su aprobación" in home
    page = client.get(reverse("accounts:grants")).content.decode()
    assert "Nadia" in page and "Área legal · Cusco" in page
    grant = RoleGrant.objects.get()
    response = client.post(reverse("accounts:grants"), {"grant": grant.pk,
                                                        "decision": "approve"})
    assert response.status_code == 302
    assert newcomer.role_assignments.filter(role="lawyer").exists()
    # A caseworker cannot reach the page at all.
    login(team["caseworker"])
    assert client.get(reverse("accounts:grants")).status_code == 403
