"""Issue 32, findings 1 and 2: the administrator cannot reach a survivor alone. A token acts
only as the person who made it (or a service account whose roles a second person approved);
someone else's e-mail address and second factor change only with a second party, audited and
told to the person; a password reset never skips the second factor."""

import re
from io import StringIO

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse

from amparo.accounts import changes, services
from amparo.accounts.models import AccountChange, Office, RoleGrant
from amparo.api.models import ApiToken
from amparo.api.tokens import token_create
from amparo.audit.models import AccessEvent, Action


def _token_page(client, user, **extra):
    return client.post(reverse("tokens:list"), {
        "action": "create", "user": user.pk, "name": "Panel", "days": 30,
        "reason": "Tablero de la oficina pedido por la dirección", **extra})


def test_an_admin_cannot_make_a_token_that_acts_as_the_director(client, login, team, make_case):
    make_case()
    login(team["admin"])
    response = _token_page(client, team["director"])
    assert response.status_code == 200
    assert "Escoja una opción válida" in response.content.decode()
    assert not ApiToken.objects.filter(user=team["director"]).exists()
    with pytest.raises(PermissionDenied):
        token_create(user=team["director"], actor=team["admin"], name="x",
                     reason="Sistema del ministerio")


def test_a_token_made_as_someone_else_before_the_fix_opens_nothing(client, team, make_case):
    case = make_case()
    token, secret = token_create(user=team["director"], actor=None, name="old",
                                 reason="Hecho por consola antes")
    ApiToken.objects.filter(pk=token.pk).update(created_by=team["admin"])  # as the page did
    response = client.get(f"/api/v1/cases/{case.code}/", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 401


def test_an_integration_is_a_service_account_whose_roles_a_director_approves(
        client, login, team, make_case):
    case = make_case()
    login(team["admin"])
    response = client.post(reverse("accounts:user_new"), {
        "username": "sistema.mimp", "first_name": "Sistema", "last_name": "MIMP",
        "service": "on", "roles": ["coordinator@lima"]})
    assert response.status_code == 302, response.content.decode()
    robot = type(team["admin"]).objects.get(username="sistema.mimp")
    assert robot.is_service and not robot.has_usable_password() and robot.email == ""
    assert not robot.role_assignments.exists()  # asked for, not held
    response = _token_page(client, robot)
    secret = re.search(r"amp_[0-9a-f]+_[\w-]+", response.content.decode()).group(0)
    url = f"/api/v1/cases/{case.code}/"
    assert client.get(url, HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 404
    services.grant_decide(actor=team["director"], grant=RoleGrant.objects.get(user=robot),
                          approve=True)
    assert client.get(url, HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 200
    # Its reason is sealed: the log names the token that keeps it.
    event = AccessEvent.objects.filter(object_type="api_token").latest("occurred_at")
    assert "pedido por la dirección" not in event.reason and "sealed in token" in event.reason
    token = ApiToken.objects.get(user=robot)
    assert b"direcci" not in token.reason_sealed.encode()
    assert token.reason == "Tablero de la oficina pedido por la dirección"
    # It never signs in.
    client.logout()
    response = client.post("/cuenta/login/", {"login": "sistema.mimp", "password": ""})
    assert "_auth_user_id" not in client.session


def test_an_admin_makes_a_token_for_herself_and_the_command_line_tells_the_person(
        team, django_capture_on_commit_callbacks):
    admin = team["admin"]
    _token, secret = token_create(user=admin, actor=admin, name="Scripts",
                                  reason="Mis propios scripts de mantenimiento")
    assert secret.startswith("amp_")
    team["caseworker"].email = "rosa@ejemplo.pe"
    team["caseworker"].save()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("token", "create", "lima.cw", "--reason", "Prueba de la integración",
                     stdout=StringIO(), stderr=StringIO())
    assert [m.to for m in mail.outbox] == [["rosa@ejemplo.pe"]]
    assert "línea de comandos" in mail.outbox[0].body


def _edit_email(client, user, email):
    data = {"first_name": user.first_name, "last_name": user.last_name, "email": email,
            "roles": [f"{a.role}@{a.office.code if a.office_id else 'org'}"
                      for a in user.role_assignments.select_related("office")]}
    return client.post(reverse("accounts:user", args=[user.pk]), data)


def test_an_admin_cannot_move_the_directors_email_to_take_her_account(
        client, login, team, django_capture_on_commit_callbacks):
    director = team["director"]
    director.email = "directora@ejemplo.pe"
    director.save()
    login(team["admin"])
    with django_capture_on_commit_callbacks(execute=True):
        response = _edit_email(client, director, "atacante@malo.pe")
    assert response.status_code == 302
    director.refresh_from_db()
    assert director.email == "directora@ejemplo.pe"  # not yet
    change = AccountChange.objects.get(user=director, kind="email")
    assert change.status == "pending"
    # Both addresses are written to, each with its own link; the log masks both.
    assert sorted(m.to[0] for m in mail.outbox) == ["atacante@malo.pe", "directora@ejemplo.pe"]
    links_sent = AccountChangeMail.all()
    event = AccessEvent.objects.get(object_id=str(director.pk),
                                    reason__contains="e-mail change asked")
    assert "d***@ejemplo.pe" in event.reason and "a***@malo.pe" in event.reason
    assert "atacante" not in event.reason
    # The forgotten-password link still goes to her own address.
    mail.outbox.clear()
    client.logout()
    client.post(reverse("account_reset_password"), {"email": "atacante@malo.pe"})
    assert not [m for m in mail.outbox if "/password/reset/key/" in m.body]
    # The new address confirming alone is not enough.
    token = next(m for m in links_sent if "atacante@malo.pe" in m.to).token()
    assert client.post(reverse("accounts:change_confirm", args=[token])).status_code == 200
    director.refresh_from_db()
    assert director.email == "directora@ejemplo.pe"


class AccountChangeMail:
    @staticmethod
    def all():
        return [AccountChangeMail(m) for m in mail.outbox]

    def __init__(self, message):
        self.to, self.body = message.to, message.body

    def token(self):
        return re.search(r"/gestion/confirmar/([^/\s]+)/", self.body).group(1)


def test_both_addresses_confirming_change_the_email_and_the_person_is_told(
        client, team, make_user, django_capture_on_commit_callbacks):
    worker = team["caseworker"]
    worker.email = "rosa@ejemplo.pe"
    worker.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.user_update(actor=team["admin"], user=worker, first_name="Rosa",
                             last_name="Q", email="rosa.nueva@ejemplo.pe",
                             roles=[("caseworker", Office.objects.get(code="lima"))])
    links = {m.to[0]: m.token() for m in AccountChangeMail.all()}
    mail.outbox.clear()
    assert client.get(reverse("accounts:change_confirm", args=[links["rosa@ejemplo.pe"]]
                              )).status_code == 200
    worker.refresh_from_db()
    assert worker.email == "rosa@ejemplo.pe"  # a GET (a mail scanner) confirms nothing
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:change_confirm", args=[links["rosa@ejemplo.pe"]]))
        client.post(reverse("accounts:change_confirm", args=[links["rosa.nueva@ejemplo.pe"]]))
    worker.refresh_from_db()
    assert worker.email == "rosa.nueva@ejemplo.pe"
    assert sorted(m.to[0] for m in mail.outbox) == ["rosa.nueva@ejemplo.pe", "rosa@ejemplo.pe"]
    # A used link is refused with a message.
    response = client.post(reverse("accounts:change_confirm", args=[links["rosa@ejemplo.pe"]]))
    assert response.status_code == 410 and "ya no es válido" in response.content.decode()


def test_a_director_approves_an_email_change_and_never_her_own(team):
    director = team["director"]
    change = changes.email_change_ask(actor=team["admin"], user=director,
                                      new_email="nueva@ejemplo.pe")
    with pytest.raises(ValidationError):
        changes.account_change_decide(actor=director, change=change, approve=True)
    with pytest.raises(PermissionDenied):
        changes.account_change_decide(actor=team["admin"], change=change, approve=True)
    worker = team["caseworker"]
    change = changes.email_change_ask(actor=team["admin"], user=worker,
                                      new_email="rosa@ejemplo.pe")
    changes.account_change_decide(actor=director, change=change, approve=True)
    worker.refresh_from_db()
    assert worker.email == "rosa@ejemplo.pe"
    event = AccessEvent.objects.filter(object_id=str(worker.pk)).latest("occurred_at")
    assert "before -, after r***@ejemplo.pe" in event.reason


def test_resetting_the_directors_second_factor_needs_another_director(
        client, login, team, make_user, django_capture_on_commit_callbacks):
    director = team["director"]
    director.email = "directora@ejemplo.pe"
    director.save()
    login(team["admin"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:user_mfa_reset", args=[director.pk]),
                               {"reason": "Dice que perdió el celular"})
    assert response.status_code == 302
    assert director.authenticator_set.exists()  # still hers
    assert [m.to for m in mail.outbox] == [["directora@ejemplo.pe"]]
    change = AccountChange.objects.get(user=director, kind="mfa_reset")
    with pytest.raises(ValidationError):  # not she herself
        changes.account_change_decide(actor=director, change=change, approve=True)
    second = make_user("director", username="dir2")
    changes.account_change_decide(actor=second, change=change, approve=True)
    assert not director.authenticator_set.exists()
    event = AccessEvent.objects.filter(action=Action.MFA_RESET,
                                       object_id=str(director.pk)).get()
    assert "perdió" not in event.reason and f"account change {change.pk}" in event.reason
    assert AccountChange.objects.get(pk=change.pk).reason == "Dice que perdió el celular"


def test_a_prevention_officers_second_factor_is_reset_at_once_and_she_is_told(
        team, django_capture_on_commit_callbacks):
    officer = team["prevention"]
    officer.email = "prev@ejemplo.pe"
    officer.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.user_mfa_reset(actor=team["admin"], user=officer, reason="Cambió de celular")
    assert not officer.authenticator_set.exists()
    assert [m.to for m in mail.outbox] == [["prev@ejemplo.pe"]]


def test_deactivation_reasons_are_sealed_in_the_account_change(team):
    services.user_deactivate(actor=team["admin"], user=team["caseworker"],
                             reason="Denuncia de acoso en trámite")
    event = AccessEvent.objects.filter(action=Action.DEACTIVATE).get()
    assert "acoso" not in event.reason
    kept = AccountChange.objects.get(user=team["caseworker"], kind="deactivate")
    assert f"account change {kept.pk}" in event.reason
    assert kept.reason == "Denuncia de acoso en trámite" and "acoso" not in kept.reason_sealed


def test_a_password_reset_never_signs_in_and_the_second_factor_is_still_asked(client, team):
    worker = team["caseworker"]
    worker.email = "rosa@ejemplo.pe"
    worker.save()
    client.post(reverse("account_reset_password"), {"email": "rosa@ejemplo.pe"})
    link = re.search(r"(/cuenta/password/reset/key/\S+/)", mail.outbox[-1].body).group(1)
    form = client.get(link)
    assert form.status_code == 302
    new = "Otra-Clave-Muy-Larga-2026"
    done = client.post(form["Location"], {"password1": new, "password2": new})
    assert done.status_code == 302
    assert "_auth_user_id" not in client.session  # the reset signed nobody in
    assert any("contraseña" in m.subject.lower() for m in mail.outbox[1:])  # she is told
    response = client.post("/cuenta/login/", {"login": worker.username, "password": new})
    assert response.status_code == 302 and "/2fa/authenticate/" in response["Location"]
    assert "_auth_user_id" not in client.session


def test_a_mail_server_that_is_down_never_undoes_or_breaks_what_was_done(
        team, monkeypatch, django_capture_on_commit_callbacks):
    def down(*args, **kwargs):
        raise ConnectionRefusedError("no SMTP server")

    monkeypatch.setattr("amparo.core.mail.send_mail", down)
    team["caseworker"].email = "rosa@ejemplo.pe"
    team["caseworker"].save()
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("token", "create", "lima.cw", "--reason", "Prueba de la integración",
                     stdout=out, stderr=StringIO())
    assert out.getvalue().startswith("amp_")
    assert ApiToken.objects.filter(user=team["caseworker"]).exists()
