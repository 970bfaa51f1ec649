"""Envelope encryption of survivors' high-harm data.

Each case (and each person) has its own random data key. The data key is stored only wrapped,
with AES-GCM, by a key-encryption key of AMPARO_KEYRING, bound to its own id. Fields and files are
sealed with AES-GCM under the data key, bound to `table:field:pk`, so a ciphertext copied to
another row, field or case fails to open. Opening never returns ciphertext: it raises.

Sealed layout: 1 version byte, 12-byte nonce, ciphertext with its 16-byte tag.
"""

from __future__ import annotations

import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.utils import timezone

from amparo.crypto.keyring import KeyringError
from amparo.crypto.models import DataKey

VERSION = b"\x01"
NONCE_BYTES = 12


class DecryptionError(Exception):
    """A sealed value cannot be opened: wrong key, altered or moved ciphertext, destroyed key."""


def _wrap_context(data_key_id) -> bytes:
    return f"data_key:{data_key_id}".encode()


def data_key_new() -> DataKey:
    """A new data key, wrapped under the current key, not yet saved (bulk writers save many)."""
    keyring = settings.AMPARO_KEYRING
    data_key = DataKey(key_id=keyring.current_id)
    plain = AESGCM.generate_key(bit_length=256)
    data_key.wrapped = _aead_seal(keyring.current, plain, _wrap_context(data_key.pk))
    data_key._plain = plain
    return data_key


def data_key_create() -> DataKey:
    data_key = data_key_new()
    data_key.save(force_insert=True)
    return data_key


def data_key_unwrap(data_key: DataKey) -> bytes:
    plain = getattr(data_key, "_plain", None)
    if plain is not None:
        return plain
    if data_key.destroyed_at is not None:
        raise DecryptionError("This record's data key was destroyed; its sealed data is gone.")
    try:
        kek = settings.AMPARO_KEYRING.get(data_key.key_id)
    except KeyringError as error:
        raise DecryptionError(str(error)) from None
    plain = _aead_open(kek, bytes(data_key.wrapped), _wrap_context(data_key.pk))
    data_key._plain = plain
    return plain


def data_key_rewrap(data_key: DataKey) -> bool:
    """Wrap the data key under the current key-ring key. False when it already is."""
    keyring = settings.AMPARO_KEYRING
    if data_key.key_id == keyring.current_id or data_key.destroyed_at is not None:
        return False
    plain = data_key_unwrap(data_key)
    data_key.wrapped = _aead_seal(keyring.current, plain, _wrap_context(data_key.pk))
    data_key.key_id = keyring.current_id
    data_key.rotated_at = timezone.now()
    data_key.save(update_fields=["wrapped", "key_id", "rotated_at"])
    return True


def data_key_destroy(data_key: DataKey) -> None:
    """Crypto-erase: once the wrapped key is gone, no key ring can open the data again."""
    data_key.wrapped = b""
    data_key.destroyed_at = timezone.now()
    data_key._plain = None
    data_key.save(update_fields=["wrapped", "destroyed_at"])


def context_for(instance, field: str) -> str:
    return context_of(instance._meta.db_table, field, instance.pk)


def context_of(table: str, field: str, pk) -> str:
    """The associated data of a sealed field: `table:field:pk` (for rows written without a
    model instance, such as an import's bulk inserts)."""
    return f"{table}:{field}:{pk}"


def seal_bytes(data_key: DataKey, plaintext: bytes, context: str) -> bytes:
    return _aead_seal(data_key_unwrap(data_key), plaintext, context.encode())


def open_bytes(data_key: DataKey, sealed: bytes, context: str) -> bytes:
    return _aead_open(data_key_unwrap(data_key), bytes(sealed), context.encode())


def seal_text(data_key: DataKey, text: str, context: str) -> bytes:
    """Empty text stays empty (nothing to protect, and the form can tell it was left blank)."""
    return seal_bytes(data_key, text.encode("utf-8"), context) if text else b""


def open_text(data_key: DataKey, sealed: bytes | memoryview | None, context: str) -> str:
    if not sealed:
        return ""
    return open_bytes(data_key, sealed, context).decode("utf-8")


def _aead_seal(key: bytes, plaintext: bytes, context: bytes) -> bytes:
    nonce = os.urandom(NONCE_BYTES)
    return VERSION + nonce + AESGCM(key).encrypt(nonce, plaintext, context)


def _aead_open(key: bytes, sealed: bytes, context: bytes) -> bytes:
    if len(sealed) < 1 + NONCE_BYTES + 16 or sealed[:1] != VERSION:
        raise DecryptionError("The sealed value is damaged or in an unknown format.")
    nonce, body = sealed[1 : 1 + NONCE_BYTES], sealed[1 + NONCE_BYTES :]
    try:
        return AESGCM(key).decrypt(nonce, body, context)
    except InvalidTag:
        raise DecryptionError(
            "The sealed value does not open with this key for this record and field."
        ) from None
