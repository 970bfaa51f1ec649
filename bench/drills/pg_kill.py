"""Crash drill: kill -9 of PostgreSQL while `amparo serve` (gunicorn, production settings)
takes a stream of API creates (notes, from several clients at once; bench/drills/writes.py).
PASS when every create answered 201 before, during or after the crash is in the database after
PostgreSQL restarts, nothing is written twice or half (each note has the access event written in
its transaction), the server answered every request (JSON, never a hang) and creates succeed
again after the restart.

    .venv/bin/python bench/drills/pg_kill.py [--seconds 4] [--clients 4]

About a minute; run as root (the cluster runs as the `postgres` user). Prints PASS or FAIL."""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]
from cluster import Cluster  # noqa: E402
from writes import Writes  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=4, help="of writes before, during "
                                                                 "and after the crash")
    parser.add_argument("--clients", type=int, default=4)
    options = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="amparo-kill-"))
    root.chmod(0o755)
    writes = Writes(Cluster(root, 55435).init(), root, clients=options.clients)
    started = time.perf_counter()
    try:
        writes.prepare()
        writes.serve()
        writes.start()
        time.sleep(options.seconds)
        writes.phase = "crash"
        writes.cluster.kill9()
        time.sleep(options.seconds / 2)
        writes.cluster.start()  # crash recovery replays the WAL
        writes.phase = "after"
        time.sleep(options.seconds)
        writes.stop()
        problems, summary = writes.check()
        print(f"{'FAIL' if problems else 'PASS'} kill -9 of PostgreSQL under writes "
              f"({time.perf_counter() - started:.0f} s): "
              + ("; ".join(problems) if problems else summary))
        return 1 if problems else 0
    finally:
        writes.close()
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
