import base64
import io

import pytest
from django.core.management import call_command
from django.db import connection

from amparo.cases import services
from amparo.cases.models import Episode, Identity, Note
from amparo.crypto.envelope import DecryptionError, data_key_destroy
from amparo.crypto.keyring import Keyring
from amparo.crypto.models import DataKey

NOTE = "Relató que el dueño del bar le retenía el DNI"
CONTACT = "+51 987 654 321 (hermana)"
PDF = b"%PDF-1.4\nDocumento firmado por Rosa Quispe\n%%EOF\n"


def _raw_dump() -> bytes:
    """Every value of every table, as the database holds it."""
    dump = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')
            for row in cursor.fetchall():
                for value in row:
                    if isinstance(value, (bytes, memoryview)):
                        dump.append(bytes(value))
                    elif value is not None:
                        dump.append(str(value).encode())
    return b"\n".join(dump)


def test_the_database_holds_no_plaintext_of_notes_contacts_or_documents(team, make_case, settings):
    case = make_case()
    services.note_add(actor=team["caseworker"], case=case, text=NOTE)
    services.episode_save(actor=team["lawyer"], case=case, data={"kind": "captacion"},
                          description="Viajó en bus hasta La Pampa con otras tres chicas",
                          perpetrators="alias Cholo Juan")
    document = services.document_add(actor=team["caseworker"], case=case, kind="otro",
                                     title="Acta", content=PDF)
    dump = _raw_dump()
    for secret in (NOTE, CONTACT, "Jr. Los Pinos", "otras tres chicas", "Cholo Juan"):
        assert secret.encode() not in dump, secret
    stored = (settings.MEDIA_ROOT / document.storage_name).read_bytes()
    assert b"Rosa Quispe" not in stored and b"%PDF" not in stored
    assert b"Quispe" in dump  # names stay searchable, by design


def test_a_wrong_key_ring_cannot_open_anything(team, make_case, settings):
    case = make_case()
    note = services.note_add(actor=team["caseworker"], case=case, text=NOTE)
    other = Keyring({"test2": b"\x01" * 32}, "test2")
    settings.AMPARO_KEYRING = other
    fresh = Note.objects.select_related("data_key").get(pk=note.pk)
    with pytest.raises(DecryptionError):
        fresh.unseal("text")


def test_a_ciphertext_moved_to_another_row_or_case_does_not_open(team, make_case):
    first, second = make_case(), make_case()
    a = services.note_add(actor=team["caseworker"], case=first, text="primera")
    b = services.note_add(actor=team["caseworker"], case=first, text="segunda")
    c = services.note_add(actor=team["caseworker"], case=second, text="otra")
    Note.objects.filter(pk=b.pk).update(text_sealed=a.text_sealed)
    with pytest.raises(DecryptionError):
        Note.objects.get(pk=b.pk).unseal("text")
    Note.objects.filter(pk=c.pk).update(text_sealed=a.text_sealed)
    with pytest.raises(DecryptionError):
        Note.objects.get(pk=c.pk).unseal("text")


def test_a_swapped_field_does_not_open(team, make_case):
    case = make_case()
    identity = Identity.objects.get(person=case.person)
    Identity.objects.filter(pk=identity.pk).update(address_sealed=identity.contacts_sealed)
    with pytest.raises(DecryptionError):
        Identity.objects.get(pk=identity.pk).unseal("address")


def test_destroying_a_data_key_erases_what_it_sealed(team, make_case):
    case = make_case()
    note = services.note_add(actor=team["caseworker"], case=case, text=NOTE)
    data_key_destroy(DataKey.objects.get(pk=case.data_key_id))
    with pytest.raises(DecryptionError):
        Note.objects.get(pk=note.pk).unseal("text")


def test_keys_rotate_rewraps_everything_so_the_old_key_can_go(team, make_case, settings):
    case = make_case()
    services.note_add(actor=team["caseworker"], case=case, text=NOTE)
    services.episode_save(actor=team["caseworker"], case=case, data={"kind": "traslado"},
                          description="En lancha por el río Amazonas")
    old = settings.AMPARO_KEYRING
    new_key = b"\x07" * 32
    settings.AMPARO_KEYRING = Keyring({"k9": new_key, **old.keys}, "k9")
    out = io.StringIO()
    call_command("keys", "rotate", stdout=out)
    assert "test1 any more; it can be removed" in out.getvalue()
    assert "Keep 'test2'" in out.getvalue()  # it signed the access log's events so far
    assert set(DataKey.objects.values_list("key_id", flat=True)) == {"k9"}
    settings.AMPARO_KEYRING = Keyring({"k9": new_key}, "k9")  # old keys gone
    assert Note.objects.get().unseal("text") == NOTE
    assert Episode.objects.get().unseal("description") == "En lancha por el río Amazonas"
    assert Identity.objects.get().unseal("contacts") == CONTACT
    assert base64.b64encode(new_key)  # the ring holds only the new key now


def test_keys_rotate_reseals_second_factor_secrets(team, settings):
    from allauth.mfa.models import Authenticator

    from amparo.accounts.adapter import TOTP_CONTEXT
    from amparo.crypto.secretbox import unseal

    old = settings.AMPARO_KEYRING
    settings.AMPARO_KEYRING = Keyring({"k9": b"\x07" * 32, **old.keys}, "k9")
    call_command("keys", "rotate", stdout=io.StringIO())
    settings.AMPARO_KEYRING = Keyring({"k9": b"\x07" * 32}, "k9")
    for authenticator in Authenticator.objects.filter(type="totp"):
        assert authenticator.data["secret"].startswith("v1:k9:")
        assert unseal(authenticator.data["secret"], TOTP_CONTEXT)


def test_an_episodes_period_and_a_referrals_document_number_are_sealed(team, make_case,
                                                                        directory):
    """Issue 32, finding 10: the episode's period and the referral's oficio were in clear."""
    from amparo.referrals.models import Referral
    from amparo.referrals.services import referral_send

    case = make_case()
    episode = services.episode_save(actor=team["caseworker"], case=case, data={
        "kind": "explotacion", "period": "MARCADOR-PERIODO el verano que cumplió 15"})
    referral_send(actor=team["caseworker"], case=case, institution=directory["cem"],
                  purpose="proteccion", referred_on=case.intake_date, shared=["codigo"],
                  reference="MARCADOR-OFICIO 123-2026")
    dump = _raw_dump()
    assert b"MARCADOR-PERIODO" not in dump and b"MARCADOR-OFICIO" not in dump
    assert Episode.objects.get(pk=episode.pk).period.startswith("MARCADOR-PERIODO")
    assert Referral.objects.get().reference == "MARCADOR-OFICIO 123-2026"


def test_keys_rotate_reseals_account_and_token_reasons(team, settings):
    from amparo.accounts.models import AccountChange
    from amparo.accounts.services import user_deactivate
    from amparo.api.models import ApiToken
    from amparo.api.tokens import token_create

    user_deactivate(actor=team["admin"], user=team["other_caseworker"], reason="Renunció")
    token_create(user=team["admin"], actor=team["admin"], name="x", reason="Mis scripts")
    old = settings.AMPARO_KEYRING
    settings.AMPARO_KEYRING = Keyring({"k9": b"\x07" * 32, **old.keys}, "k9")
    call_command("keys", "rotate", stdout=io.StringIO())
    settings.AMPARO_KEYRING = Keyring({"k9": b"\x07" * 32}, "k9")
    assert AccountChange.objects.get().reason == "Renunció"
    assert ApiToken.objects.get().reason == "Mis scripts"
