"""Crash drill: kill -9 of PostgreSQL while `amparo serve` (gunicorn, production settings)
takes a stream of API creates (notes, from several clients at once; bench/drills/writes.py).
PASS when every create answered 201 before, during or after the crash is in the database after
PostgreSQL restarts, nothing is written twice or half (each note has the access event written in
its transaction), the server answered every request (JSON, never a hang) and creates succeed
again after the restart.

    .venv/bin/python bench/drills/pg_kill.py [--seconds 4] [--clients 4]

About a minute; run as root (the cluster runs as the `postgres` user). Prints PASS or FAIL."""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]
from writes import drill  # noqa: E402

if __name__ == "__main__":
    sys.exit(drill("kill -9 of PostgreSQL under writes", port=55435,
                   crash=lambda writes: writes.cluster.kill9(),
                   restart=lambda writes: writes.cluster.start()))  # recovery replays the WAL
