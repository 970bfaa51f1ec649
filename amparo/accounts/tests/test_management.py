import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from amparo.accounts.models import Office, User
from amparo.accounts.services import user_deactivate, user_update
from amparo.audit.models import AccessEvent, Action

NEW = {"username": "lima.acondori", "first_name": "Ana", "last_name": "Condori Huamán",
       "email": "", "password1": "Clave-Segura-Nueva-2026", "password2": "Clave-Segura-Nueva-2026"}


def test_an_admin_creates_a_user_with_roles_in_two_offices(client, admin_user, login):
    login(admin_user)
    response = client.post(reverse("accounts:user_new"),
                           {**NEW, "roles": ["lawyer@lima", "lawyer@cusco"]})
    assert response.status_code == 302
    user = User.objects.get(username="lima.acondori")
    # A lawyer reads case content: both roles wait for a director's approval.
    assert not user.role_assignments.exists()
    assert sorted(user.role_grants.values_list("office__code", flat=True)) == ["cusco", "lima"]


def test_a_bad_form_says_what_to_fix_and_saves_nothing(client, admin_user, login):
    login(admin_user)
    response = client.post(reverse("accounts:user_new"),
                           {**NEW, "username": "Lima Ana", "password2": "otra"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Use solo letras minúsculas" in html
    assert "Las dos contraseñas no coinciden" in html
    assert not User.objects.filter(first_name="Ana").exists()


def test_a_duplicate_user_name_is_refused_with_a_message(admin_user, client, login, make_user):
    make_user("caseworker@lima", username="lima.acondori")
    login(admin_user)
    response = client.post(reverse("accounts:user_new"), {**NEW, "roles": ["lawyer@lima"]})
    assert "Ya existe un usuario con ese nombre" in response.content.decode()


def test_an_edit_that_breaks_a_rule_changes_nothing(admin_user):
    with pytest.raises(ValidationError):
        user_update(actor=admin_user, user=admin_user, first_name="Otro", last_name="Nombre",
                    email="", roles=[("caseworker", Office.objects.get(code="lima"))])
    admin_user.refresh_from_db()
    assert admin_user.first_name == "Rosa"
    assert admin_user.role_assignments.get().role == "admin"


def test_an_office_role_needs_an_office_and_an_organisation_role_none(admin_user, make_user):
    user = make_user("caseworker@lima")
    with pytest.raises(ValidationError, match="elija la oficina"):
        user_update(actor=admin_user, user=user, first_name="a", last_name="b", email="",
                    roles=[("lawyer", None)])
    with pytest.raises(ValidationError, match="abarca toda la organización"):
        user_update(actor=admin_user, user=user, first_name="a", last_name="b", email="",
                    roles=[("director", Office.objects.get(code="lima"))])


def test_admins_cannot_lock_themselves_out(admin_user):
    with pytest.raises(ValidationError):
        user_deactivate(actor=admin_user, user=admin_user, reason="prueba")


def test_deactivation_needs_a_reason_and_is_recorded(client, admin_user, login, make_user):
    user = make_user("caseworker@lima")
    login(admin_user)
    client.post(reverse("accounts:user_deactivate", args=[user.pk]), {"reason": ""})
    user.refresh_from_db()
    assert user.is_active
    client.post(reverse("accounts:user_deactivate", args=[user.pk]), {"reason": "Renunció"})
    user.refresh_from_db()
    assert not user.is_active
    event = AccessEvent.objects.get(action=Action.DEACTIVATE, object_id=str(user.pk))
    assert "Renunció" not in event.reason  # sealed in the account change the event names
    assert user.account_changes.get(kind="deactivate").reason == "Renunció"


def test_resetting_mfa_removes_the_authenticator(client, admin_user, login, make_user):
    user = make_user("prevention@puno")
    login(admin_user)
    client.post(reverse("accounts:user_mfa_reset", args=[user.pk]), {"reason": "Perdió el celular"})
    assert not user.authenticator_set.exists()
    lawyer = make_user("lawyer@puno")  # reads case content: waits for a director
    client.post(reverse("accounts:user_mfa_reset", args=[lawyer.pk]), {"reason": "Lo perdió"})
    assert lawyer.authenticator_set.exists()
    assert lawyer.account_changes.get(kind="mfa_reset").status == "pending"


def test_an_admin_edits_an_office_with_the_ubigeo_picker(client, admin_user, login):
    login(admin_user)
    response = client.post(reverse("accounts:office", args=["maldonado"]), {
        "name": "Puerto Maldonado", "active": "on",
        "place_dep": "17", "place_prov": "1701", "place_dist": "170102",
    })
    assert response.status_code == 302
    office = Office.objects.get(code="maldonado")
    assert office.district_id == "170102" and office.case_prefix == "PMA"


def test_createuser_makes_the_first_admin(db):
    call_command("createuser", "primera.admin", "--password-stdin",
                 stdin=io.StringIO("Una-Clave-Larga-Segura-1\n"), stdout=io.StringIO())
    user = User.objects.get(username="primera.admin")
    assert user.role_assignments.get().role == "admin"


def test_createuser_explains_a_missing_office(db):
    with pytest.raises(CommandError, match="add --office"):
        call_command("createuser", "x.y", "--role", "lawyer", "--password-stdin",
                     stdin=io.StringIO("Una-Clave-Larga-Segura-1\n"))


def test_the_admins_home_links_to_the_people_without_a_second_factor(client, admin_user, login,
                                                                     make_user):
    """Not a bare count: the number opens the list of those people (issue 34). Service
    accounts never sign in and are not counted."""
    without = make_user("caseworker@lima", mfa=False, username="sin.factor")
    make_user("caseworker@lima", username="con.factor")
    make_user(mfa=False, username="integracion", is_service=True)
    login(admin_user)
    home = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    url = reverse("accounts:users") + "?status=sin_segundo_factor"
    assert f'href="{url}"' in home
    listed = client.get(url, HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert without.username in listed
    assert "con.factor" not in listed and "integracion" not in listed
