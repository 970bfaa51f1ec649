"""`amparo serve` is the production server: gunicorn with the production settings, answering
on the loopback, logging each request without its query string or the calendar's token."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from amparo.core.serving import SECRET_PATHS, workers_for
from amparo.crypto.keyring import generate_entry

AMPARO = str(Path(sys.executable).with_name("amparo"))


def test_workers_follow_the_cores():
    assert [workers_for(n) for n in (1, 2, 4, 16)] == [3, 5, 9, 12]


def test_a_calendar_token_never_reaches_the_log():
    masked = SECRET_PATHS.sub(r"\1…\2", "/procesos/calendario/Xy7-secret_token.ics")
    assert masked == "/procesos/calendario/….ics"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_the_production_server_answers_and_its_log_keeps_no_query(tmp_path):
    port = _free_port()
    env = {**os.environ, "AMPARO_DEMO": "0", "AMPARO_DEBUG": "0", "AMPARO_HTTPS": "0",
           "SECRET_KEY": "serving-test-" + "0123456789abcdef" * 4,
           "AMPARO_KEYRING": generate_entry("t1"),
           "ALLOWED_HOSTS": "127.0.0.1", "AMPARO_VAR_DIR": str(tmp_path),
           "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    log = tmp_path / "access.log"
    server = subprocess.Popen([AMPARO, "serve", "--bind", f"127.0.0.1:{port}", "--workers",
                               "2", "--access-log", str(log)], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        body = None
        for _ in range(100):
            try:
                with urllib.request.urlopen(
                        f"http://127.0.0.1:{port}/salud/?q=Rosa+Quispe+41234567", timeout=2) as r:
                    body = r.read()
                break
            except OSError:
                time.sleep(0.1)
        assert body == b"ok"
        for _ in range(50):
            if log.exists() and log.read_text():
                break
            time.sleep(0.1)
        line = log.read_text()
        assert '"GET /salud/ HTTP/1.1" 200' in line
        assert "Rosa" not in line and "41234567" not in line
    finally:
        server.terminate()
        output = server.communicate(timeout=20)[0].decode()
    assert "Booting worker" in output and server.returncode == 0


def test_the_demo_is_not_served_as_production(tmp_path):
    env = {**os.environ, "AMPARO_DEMO": "1", "AMPARO_VAR_DIR": str(tmp_path)}
    env.pop("DATABASE_URL", None)  # the demo's own SQLite (the suite may run on PostgreSQL)
    done = subprocess.run([AMPARO, "serve"], env=env, capture_output=True, text=True)
    assert done.returncode != 0 and "production server" in done.stderr


pytestmark = pytest.mark.filterwarnings("ignore::ResourceWarning")
