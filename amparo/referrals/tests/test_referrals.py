"""Referrals: the consent gate and its audited override, the status a referral may move to,
reminders that name no one, and a case registered from an incoming referral."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from amparo.audit.models import AccessEvent
from amparo.cases import services as case_services
from amparo.cases.models import Case
from amparo.cases.tests.samples import IDENTITY
from amparo.referrals import services
from amparo.referrals.models import Referral

SENT = date(2025, 5, 5)


def _send(team, case, directory, who="caseworker", shared=("identidad", "resumen"), reason=""):
    return services.referral_send(actor=team[who], case=case, institution=directory["health"],
                                  purpose="salud", referred_on=SENT, shared=list(shared),
                                  note="Control ginecológico", override_reason=reason)


def _consent(team, case, given: bool, day=date(2025, 5, 1)):
    case_services.consent_record(actor=team["caseworker"], case=case, scope="compartir",
                                 given=given, decided_on=day, given_by="sobreviviente")


def test_sharing_personal_data_without_consent_is_refused_and_nothing_is_stored(
        team, make_case, directory):
    case = make_case()
    with pytest.raises(ValidationError, match="consentimiento para compartir"):
        _send(team, case, directory)
    assert not Referral.objects.exists()
    only_code = _send(team, case, directory, shared=["codigo"])
    assert only_code.consent is None and only_code.status == "enviada"
    assert only_code.answer_due_on == SENT + timedelta(days=15)


def test_the_consent_in_force_decides_and_is_kept_with_the_referral(team, make_case, directory):
    case = make_case()
    _consent(team, case, True)
    referral = _send(team, case, directory)
    assert referral.consent.given and referral.shares_personal_data
    _consent(team, case, False, day=date(2025, 5, 4))  # withdrawn: a new decision
    with pytest.raises(ValidationError, match="consentimiento para compartir"):
        _send(team, case, directory)


def test_a_coordinator_may_override_with_a_written_reason_and_it_is_audited(
        team, make_case, directory):
    case = make_case()
    reason = "Está hospitalizada e inconsciente; el hospital necesita su identidad hoy."
    with pytest.raises(ValidationError, match="coordinación"):
        _send(team, case, directory, who="caseworker", reason=reason)
    with pytest.raises(ValidationError, match="una o dos frases"):
        _send(team, case, directory, who="coordinator", reason="urgente")
    referral = _send(team, case, directory, who="coordinator", reason=reason)
    referral.data_key = case.data_key
    assert referral.override_by == team["coordinator"]
    assert referral.unseal("override_reason") == reason
    event = AccessEvent.objects.get(action="override")
    # The event says that it happened and where the sealed reason is, never the reason.
    assert event.object_id == case.code and reason not in event.reason
    assert f"sealed in referral {referral.pk}" in event.reason
    assert event.actor == team["coordinator"]


def test_a_referral_moves_only_along_its_statuses(team, make_case, directory):
    case = make_case()
    referral = _send(team, case, directory, shared=["codigo"])
    with pytest.raises(ValidationError, match="Indique el resultado"):
        services.referral_update(actor=team["caseworker"], case=case, referral=referral,
                                 version=1, status="atendida", status_on=SENT)
    referral = services.referral_update(actor=team["caseworker"], case=case, referral=referral,
                                        version=1, status="aceptada", status_on=SENT,
                                        answer="Le dieron cita para el 12.")
    referral = services.referral_update(actor=team["caseworker"], case=case, referral=referral,
                                        version=2, status="cerrada", status_on=SENT,
                                        outcome="brindado")
    with pytest.raises(ValidationError, match="Puede pasar a: nada"):
        services.referral_update(actor=team["caseworker"], case=case, referral=referral,
                                 version=3, status="aceptada", status_on=SENT)
    referral.refresh_from_db()
    referral.data_key = case.data_key
    assert referral.status == "cerrada" and "cita para el 12" in referral.unseal("answer")


@pytest.fixture
def mailbox(team, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    team["caseworker"].email = "cw@demo.invalid"
    team["caseworker"].save(update_fields=["email"])


def test_reminders_go_once_and_name_codes_never_survivors(team, make_case, directory, mailbox):
    case = make_case()
    _send(team, case, directory, shared=["codigo"])
    assert services.referrals_remind(today=SENT + timedelta(days=10)) == 0
    assert services.referrals_remind(today=SENT + timedelta(days=20)) == 1
    assert services.referrals_remind(today=SENT + timedelta(days=21)) == 0
    message = mail.outbox[0]
    assert case.code in message.body and "Hospital de Lima" in message.body
    for name in (IDENTITY["given_names"], IDENTITY["paternal_surname"]):
        assert name not in message.body and name not in message.subject


def test_the_reminder_command_runs(team, make_case, directory, mailbox):
    from django.core.management import call_command

    case = make_case()
    _send(team, case, directory, shared=["codigo"])
    call_command("referrals", "remind")
    assert len(mail.outbox) == 1


def test_an_incoming_referral_is_attached_at_intake(team, login, client, directory, office):
    login(team["caseworker"])
    data = {
        "office": office("lima").pk, "intake_date": date(2025, 6, 2).isoformat(),
        "arrival": "fiscalia", "victim_status": "presunta", "priority": "media",
        "given_names": "Ana", "paternal_surname": "Quispe", "sex": "mujer",
        "birth_date": "1999-04-03", "nationality": "PE",
    }
    bad = client.post(reverse("cases:intake"), {**data, "referred_on": "2025-06-01"})
    assert bad.status_code == 200 and "Elija la institución que la derivó" in bad.content.decode()
    assert not Case.objects.exists()
    done = client.post(reverse("cases:intake"), {
        **data, "referred_institution": directory["fistrap"].pk,
        "referred_reference": "Oficio 123-2025"})
    assert done.status_code == 302
    referral = Referral.objects.get()
    assert referral.direction == "entrante" and referral.reference == "Oficio 123-2025"
    assert referral.referred_on == date(2025, 6, 2) and referral.status == "aceptada"
    assert referral.case.arrival == "fiscalia"


def test_the_directory_is_searched_by_region_and_service(team, login, client, directory):
    login(team["caseworker"])
    page = client.get(reverse("referrals:institutions") + "?servicio=albergue&departamento=15")
    text = page.content.decode()
    assert "Espacio de Acogida Temporal Lima" in text and "Hospital de Lima" not in text
    none = client.get(reverse("referrals:institutions") + "?departamento=08").content.decode()
    assert "Ninguna institución coincide" in none


def test_only_coordinators_and_admins_keep_the_directory(team, login, client, directory):
    login(team["caseworker"])
    assert client.get(reverse("referrals:institution_new")).status_code == 403
    login(team["coordinator"])
    response = client.post(reverse("referrals:institution_new"), {
        "name": "DEMUNA San Juan de Lurigancho", "kind": "demuna", "sector": "estado",
        "place_dep": "15", "place_prov": "1501", "place_dist": "150132",
                                                                  "provides": ["proteccion_nna"],
        "active": "on"})
    assert response.status_code == 302
    assert AccessEvent.objects.filter(object_type="institution", action="create").exists()


def test_referrals_past_their_date_are_listed_for_the_office(team, login, client, make_case,
                                                              directory):
    case = make_case()
    _send(team, case, directory, shared=["codigo"])
    login(team["coordinator"])
    page = client.get(reverse("referrals:office") + "?sin_respuesta=1").content.decode()
    assert case.code in page
    assert timezone.localdate() > SENT + timedelta(days=15)
