"""Crash drill: kill -9 of the web server (`amparo serve`: gunicorn's master and every worker)
while it takes a stream of API creates (bench/drills/writes.py), then a new server, as systemd
restarts it. PASS when every create answered 201 is in the database, none is written twice
though clients retried the dropped ones with the same Idempotency-Key, none is half-written
(each note has its access event), every error was a JSON message, and creates succeed again.

    .venv/bin/python bench/drills/web_kill.py [--seconds 4] [--clients 4]

About a minute; run as root (the cluster runs as the `postgres` user). Prints PASS or FAIL."""

from __future__ import annotations

import contextlib
import os
import signal
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]
from writes import drill  # noqa: E402


def _kill(writes) -> None:
    with contextlib.suppress(ProcessLookupError):  # the master and its workers at once
        os.killpg(writes.server.pid, signal.SIGKILL)
    writes.server.wait()


if __name__ == "__main__":
    sys.exit(drill("kill -9 of the web server under writes", port=55437, crash=_kill,
                   restart=lambda writes: writes.serve()))  # what systemd's Restart=always does
