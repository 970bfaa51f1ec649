"""The key ring: key-encryption keys read from outside the database (`AMPARO_KEYRING`).

Format: `id:base64key[,id:base64key...]`, or `file:/path` to a file holding that text (one key a
line is fine). The first key wraps new data keys; the others can still unwrap old ones, so a key
can be retired after `amparo keys rotate`.
"""

from __future__ import annotations

import base64
import binascii
import re
import secrets
from dataclasses import dataclass
from pathlib import Path

KEY_BYTES = 32
_KEY_ID = re.compile(r"^[A-Za-z0-9_.-]{1,32}$")


class KeyringError(ValueError):
    """The key ring is missing or malformed; the message says how to fix it."""


@dataclass(frozen=True)
class Keyring:
    keys: dict[str, bytes]
    current_id: str

    @property
    def current(self) -> bytes:
        return self.keys[self.current_id]

    def get(self, key_id: str) -> bytes:
        try:
            return self.keys[key_id]
        except KeyError:
            raise KeyringError(
                f"Key '{key_id}' is not in AMPARO_KEYRING; add it back to read data wrapped by it."
            ) from None


def parse_keyring(value: str) -> Keyring:
    value = value.strip()
    if value.startswith("file:"):
        path = Path(value[len("file:") :])
        try:
            value = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise KeyringError(f"Cannot read the key ring file {path}: {exc.strerror}.") from None
    entries = [e.strip() for e in re.split(r"[,\n]", value) if e.strip() and not e.startswith("#")]
    if not entries:
        raise KeyringError("AMPARO_KEYRING is empty; generate a key with `amparo keys generate`.")
    keys: dict[str, bytes] = {}
    for entry in entries:
        key_id, sep, encoded = entry.partition(":")
        if not sep or not _KEY_ID.match(key_id):
            raise KeyringError(
                "Each AMPARO_KEYRING entry must look like 'id:base64key' "
                "(id: letters, digits, '.', '_' or '-')."
            )
        try:
            key = base64.b64decode(encoded, validate=True)
        except (binascii.Error, ValueError):
            raise KeyringError(f"Key '{key_id}' in AMPARO_KEYRING is not valid base64.") from None
        if len(key) != KEY_BYTES:
            raise KeyringError(f"Key '{key_id}' must be {KEY_BYTES} bytes, not {len(key)}.")
        if key_id in keys:
            raise KeyringError(f"Key '{key_id}' appears twice in AMPARO_KEYRING.")
        keys[key_id] = key
    return Keyring(keys=keys, current_id=next(iter(keys)))


def generate_entry(key_id: str) -> str:
    """A new `id:base64key` entry, for a new key ring or a rotation."""
    if not _KEY_ID.match(key_id):
        raise KeyringError("A key id may hold letters, digits, '.', '_' or '-' (at most 32).")
    return f"{key_id}:{base64.b64encode(secrets.token_bytes(KEY_BYTES)).decode()}"
