"""Small secrets (such as TOTP seeds) sealed with AES-GCM under the current key-ring key.

Sealed text looks like `v1:<key id>:<base64 nonce+ciphertext>`; the key id lets an old key
still open it after a new key becomes current. A wrong key or altered text raises; it never
returns ciphertext as if it were plaintext.
"""

import base64
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings

PREFIX = "v1"


class DecryptionError(Exception):
    pass


def seal(plaintext: str, context: str) -> str:
    keyring = settings.AMPARO_KEYRING
    nonce = os.urandom(12)
    ciphertext = AESGCM(keyring.current).encrypt(nonce, plaintext.encode(), context.encode())
    return f"{PREFIX}:{keyring.current_id}:{base64.b64encode(nonce + ciphertext).decode()}"


def unseal(sealed: str, context: str) -> str:
    try:
        prefix, key_id, encoded = sealed.split(":", 2)
        if prefix != PREFIX:
            raise ValueError(prefix)
        raw = base64.b64decode(encoded, validate=True)
        key = settings.AMPARO_KEYRING.get(key_id)
        return AESGCM(key).decrypt(raw[:12], raw[12:], context.encode()).decode()
    except (ValueError, InvalidTag) as exc:
        raise DecryptionError("The sealed secret cannot be opened with this key ring.") from exc


def sealed_reason(context) -> property:
    """A text kept only in the row's `reason_sealed` column, sealed under the key ring (for
    rows that belong to no case: account changes, API tokens). `context(row)` binds it to its
    row, so a value moved to another row does not open."""

    def read(row) -> str:
        return unseal(row.reason_sealed, context(row)) if row.reason_sealed else ""

    def write(row, text: str) -> None:
        row.reason_sealed = seal(text, context(row)) if text else ""

    return property(read, write, doc="why (sealed under the key ring)")
