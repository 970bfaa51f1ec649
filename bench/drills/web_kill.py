"""Crash drill: kill -9 of the web server (`amparo serve`: gunicorn's master and every worker)
while it takes a stream of API creates (bench/drills/writes.py), then a new server, as systemd
restarts it. PASS when every create answered 201 is in the database, none is written twice
though clients retried the dropped ones with the same Idempotency-Key, none is half-written
(each note has its access event), every error was a JSON message, and creates succeed again.

    .venv/bin/python bench/drills/web_kill.py [--seconds 4] [--clients 4]

About a minute; run as root (the cluster runs as the `postgres` user). Prints PASS or FAIL."""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import signal
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
    root = Path(tempfile.mkdtemp(prefix="amparo-web-kill-"))
    root.chmod(0o755)
    writes = Writes(Cluster(root, 55437).init(), root, clients=options.clients)
    started = time.perf_counter()
    try:
        writes.prepare()
        writes.serve()
        writes.start()
        time.sleep(options.seconds)
        writes.phase = "crash"
        with contextlib.suppress(ProcessLookupError):  # the master and its workers at once
            os.killpg(writes.server.pid, signal.SIGKILL)
        writes.server.wait()
        time.sleep(options.seconds / 2)
        writes.serve()  # what systemd's Restart=always does
        writes.phase = "after"
        time.sleep(options.seconds)
        writes.stop()
        problems, summary = writes.check()
        print(f"{'FAIL' if problems else 'PASS'} kill -9 of the web server under writes "
              f"({time.perf_counter() - started:.0f} s): "
              + ("; ".join(problems) if problems else summary))
        return 1 if problems else 0
    finally:
        writes.close()
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
