"""The production configuration for the benchmarks that run on PostgreSQL (the demo mode
refuses PostgreSQL): secrets of their own kept in var/bench, plain HTTP on the loopback, the
second factor on. Seeding calls the demo generator's functions directly, since `amparo seed`
refuses outside the demo."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var" / "bench"
AMPARO = str(ROOT / ".venv" / "bin" / "amparo")
PASSWORD = "Bench-Clave-Larga-2026"


def _secret(name: str, make) -> str:
    VAR.mkdir(parents=True, exist_ok=True)
    path = VAR / name
    legacy = VAR / f"demo-{name}"  # what the bench database was sealed with in demo mode
    if not path.exists() and legacy.exists():
        shutil.copy(legacy, path)
    if not path.exists():
        path.write_text(make(), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


def environment(database: str) -> dict:
    import secrets

    sys.path.insert(0, str(ROOT))
    from amparo.crypto.keyring import generate_entry

    return {**os.environ, "AMPARO_DEMO": "0", "AMPARO_DEBUG": "0", "AMPARO_HTTPS": "0",
            "SECRET_KEY": _secret("secret-key", lambda: secrets.token_urlsafe(50)),
            "AMPARO_KEYRING": _secret("keyring", lambda: generate_entry("bench1")),
            "ALLOWED_HOSTS": "127.0.0.1,localhost", "AMPARO_VAR_DIR": str(VAR),
            "DATABASE_URL": database, "AMPARO_LOG_LEVEL": "ERROR",
            "DJANGO_SETTINGS_MODULE": "amparo.settings"}


def shell(env: dict, code: str) -> str:
    return subprocess.run([AMPARO, "shell", "-c", code], env=env, check=True,
                          capture_output=True, text=True).stdout


SEED = """
from django.utils import translation
from amparo.demo.cases import cases_seed
from amparo.demo.institutions import institutions_seed
from amparo.demo.services import demo_users_seed
with translation.override("es"):
    demo_users_seed()
institutions_seed()
cases_seed(count={count}, seed={seed})
"""


def seed(env: dict, count: int, seed_value: int) -> None:
    """What `amparo seed --cases N` does in the demo, on the bench database."""
    shell(env, SEED.format(count=count, seed=seed_value))


ENROL = """
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from amparo.accounts.models import Office, User
from amparo.accounts.services import user_create
lima = Office.objects.get(code="lima")
for n in range({count}):
    name = f"bench.coordinator{{n}}"
    user = User.objects.filter(username=name).first() or user_create(
        actor=None, username=name, password="{password}", roles=[("coordinator", lima)])
    Authenticator.objects.filter(user=user, type="totp").delete()
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    print(name, secret)
"""


def coordinators(env: dict, count: int) -> list[tuple[str, str]]:
    """`count` coordinators of Lima, each with an authenticator whose secret the bench knows
    (a code is good once: each concurrent user signs in as someone else)."""
    lines = shell(env, ENROL.format(count=count, password=PASSWORD)).strip().splitlines()
    return [tuple(line.split()) for line in lines[-count:]]


def totp_code(secret: str) -> str:
    """What an authenticator app shows now (RFC 6238: SHA-1, 6 digits, 30 s)."""
    import base64
    import hashlib
    import hmac
    import struct
    import time

    if 30 - time.time() % 30 < 3:  # about to expire: wait for the next one
        time.sleep(3)
    key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
    digest = hmac.new(key, struct.pack(">Q", int(time.time()) // 30), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset:offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"
