"""Loaded by pytest (`-p amparo.testenv`) before Django reads its settings.

Tests run with production-like settings (MFA enforced, DEBUG off), with throw-away secrets
so that a developer can run `pytest` without exporting anything.
"""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-" + "x" * 40)
os.environ.setdefault(
    # Two 32-byte test keys (base64); the first one wraps new data keys.
    "AMPARO_KEYRING",
    "test2:" + "MjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjI=" + ","
    "test1:" + "MTExMTExMTExMTExMTExMTExMTExMTExMTExMTExMTE=",
)
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost")
os.environ.setdefault("AMPARO_HTTPS", "0")
os.environ.setdefault("AMPARO_STATIC_FROM_SOURCES", "1")
os.environ["AMPARO_DEMO"] = os.environ.get("AMPARO_TEST_DEMO", "0")
