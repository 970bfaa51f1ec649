import os
import subprocess
import sys

import pytest
from django.urls import reverse

from amparo.crypto.keyring import KeyringError, generate_entry, parse_keyring

PROD_ENV = {
    "SECRET_KEY": "a-long-and-random-production-secret-key-0123456789-abcdefghijklmn",
    "AMPARO_KEYRING": generate_entry("prod1"),
    "ALLOWED_HOSTS": "amparo.example.org",
    "AMPARO_DEMO": "0",
    "AMPARO_HTTPS": "1",
}


def run_amparo(*args, **env):
    base = {k: v for k, v in os.environ.items()
            if k not in {"SECRET_KEY", "AMPARO_KEYRING", "AMPARO_DEMO", "AMPARO_HTTPS",
                         "ALLOWED_HOSTS", "AMPARO_STATIC_FROM_SOURCES", "DATABASE_URL",
                         "AMPARO_DEBUG"}}
    return subprocess.run([sys.executable, "-m", "amparo.cli", *args], env={**base, **env},
                          capture_output=True, text=True, timeout=120)


def test_the_csp_header_forbids_inline_code_and_other_origins(client, db):
    policy = client.get(reverse("account_login"))["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy and "style-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy


def test_responses_carry_the_other_protective_headers(client, db):
    response = client.get(reverse("account_login"))
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_the_demo_banner_shows_only_in_demo_mode(client, db, settings):
    assert "Datos ficticios" not in client.get(reverse("account_login")).content.decode()
    settings.AMPARO_DEMO = True
    assert "Datos ficticios" in client.get(reverse("account_login")).content.decode()


def test_production_refuses_to_start_without_a_secret_key():
    result = run_amparo("check", **{**PROD_ENV, "SECRET_KEY": ""})
    assert result.returncode != 0 and "SECRET_KEY is not set" in result.stderr


@pytest.mark.parametrize("key", ["change-me-to-50-random-characters",
                                 "change-me-to-50-random-characters-0123456789abcdefghij",
                                 "short-but-random-Zx81", "x" * 60])
def test_production_refuses_the_examples_secret_key_or_a_weak_one(key):
    """Issue 32, finding 9: the example's key, a short one or a repeated character is refused
    at start, not only warned about."""
    result = run_amparo("check", **{**PROD_ENV, "SECRET_KEY": key})
    assert result.returncode != 0 and "SECRET_KEY is the example's, or too weak" in result.stderr


def test_production_refuses_to_start_without_a_key_ring():
    result = run_amparo("check", **{**PROD_ENV, "AMPARO_KEYRING": ""})
    assert result.returncode != 0 and "AMPARO_KEYRING is not set" in result.stderr


def test_check_deploy_reports_nothing_with_production_settings(tmp_path):
    result = run_amparo("check", "--deploy", "--fail-level", "DEBUG",
                        **PROD_ENV, AMPARO_VAR_DIR=str(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_debug_is_off_unless_demo():
    from django.conf import settings

    assert settings.DEBUG is False


@pytest.mark.parametrize("value, message", [
    ("", "empty"),
    ("k1", "id:base64key"),
    ("k1:not-base64!", "not valid base64"),
    ("k1:c2hvcnQ=", "must be 32 bytes"),
    (f"{generate_entry('a')},{generate_entry('a')}", "appears twice"),
    ("file:/nonexistent/keyring", "Cannot read"),
])
def test_a_malformed_key_ring_is_explained(value, message):
    with pytest.raises(KeyringError, match=message):
        parse_keyring(value)


def test_the_first_key_of_the_ring_is_current_and_the_others_still_open(tmp_path):
    path = tmp_path / "keyring"
    path.write_text(f"# rotated in 2026\n{generate_entry('new')}\n{generate_entry('old')}\n")
    ring = parse_keyring(f"file:{path}")
    assert ring.current_id == "new" and set(ring.keys) == {"new", "old"}


def test_sealed_secrets_open_only_with_their_context_and_key(settings):
    from amparo.crypto.secretbox import DecryptionError, seal, unseal

    sealed = seal("JBSWY3DPEHPK3PXP", "mfa:1")
    assert "JBSWY3DPEHPK3PXP" not in sealed
    assert unseal(sealed, "mfa:1") == "JBSWY3DPEHPK3PXP"
    with pytest.raises(DecryptionError):
        unseal(sealed, "mfa:2")
    settings.AMPARO_KEYRING = parse_keyring(generate_entry("test2"))
    with pytest.raises(DecryptionError):
        unseal(sealed, "mfa:1")


DEMO_ENV = {"AMPARO_DEMO": "1", "SECRET_KEY": "", "AMPARO_KEYRING": "", "AMPARO_HTTPS": ""}


def test_demo_mode_refuses_postgresql(tmp_path):
    result = run_amparo("check", **DEMO_ENV, AMPARO_VAR_DIR=str(tmp_path),
                        DATABASE_URL="postgres://postgres@127.0.0.1:5432/amparo")
    assert result.returncode != 0
    assert "Demo mode (AMPARO_DEMO=1) runs only on its own SQLite database" in result.stderr


def test_demo_mode_refuses_a_sqlite_file_outside_var(tmp_path):
    result = run_amparo("check", **DEMO_ENV, AMPARO_VAR_DIR=str(tmp_path / "var"),
                        DATABASE_URL=f"sqlite:///{tmp_path / 'elsewhere.sqlite3'}")
    assert result.returncode != 0 and "runs only on its own SQLite database" in result.stderr


def test_demo_mode_and_debug_refuse_public_hosts(tmp_path):
    result = run_amparo("check", **DEMO_ENV, AMPARO_VAR_DIR=str(tmp_path),
                        ALLOWED_HOSTS="amparo.example.org")
    assert result.returncode != 0 and "not on amparo.example.org" in result.stderr
    result = run_amparo("check", **PROD_ENV, AMPARO_DEBUG="1", AMPARO_VAR_DIR=str(tmp_path))
    assert result.returncode != 0 and "AMPARO_DEBUG=1 answers only on this machine" in (
        result.stderr)


def test_the_demo_runs_on_its_sqlite_database_without_debug(tmp_path):
    result = run_amparo("shell", "-c", "from django.conf import settings; print(settings.DEBUG)",
                        **DEMO_ENV, AMPARO_VAR_DIR=str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "False"


def test_seed_refuses_outside_demo_mode(tmp_path):
    result = run_amparo("seed", **PROD_ENV, AMPARO_VAR_DIR=str(tmp_path),
                        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}")
    assert result.returncode != 0 and "only runs in demo mode" in result.stderr
