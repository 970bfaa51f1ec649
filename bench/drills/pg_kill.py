"""Crash drill: kill -9 of PostgreSQL while `amparo serve` (gunicorn, production settings)
takes a stream of API creates (notes, from several clients at once). PASS when every create
answered 201 before, during or after the crash is in the database after PostgreSQL restarts,
nothing is half-written (each note has the access event written in its transaction), the
server answered every request (JSON, never a hang) and creates succeed again after the restart.

    .venv/bin/python bench/drills/pg_kill.py [--seconds 4] [--clients 4]

About a minute; run as root (the cluster runs as the `postgres` user). Prints PASS or FAIL."""

from __future__ import annotations

import argparse
import contextlib
import json
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]
from cluster import Cluster  # noqa: E402
from production import AMPARO, environment  # noqa: E402

SETUP = """
from django.utils import translation
from amparo.accounts.models import Office, User
from amparo.cases.services import case_intake
from amparo.cases.tests.samples import CASE, IDENTITY
from amparo.demo.services import demo_users_seed
with translation.override("es"):
    demo_users_seed()
worker = User.objects.get(username="lima.caseworker")
case = case_intake(actor=worker, office=Office.objects.get(code="lima"), identity=IDENTITY,
                   contacts="", address="", case=CASE)
case.worker = worker
case.save(update_fields=["worker"])
print(case.code)
"""
CHECK = """
import json
from amparo.audit.models import AccessEvent
from amparo.cases.models import Note
ids = {str(pk) for pk in Note.objects.values_list("pk", flat=True)}
events = AccessEvent.objects.filter(action="create", section="notes").count()
print(json.dumps({"ids": sorted(ids), "events": events}))
"""


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=4, help="of writes before, during "
                                                                 "and after the crash")
    parser.add_argument("--clients", type=int, default=4)
    options = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="amparo-kill-"))
    root.chmod(0o755)
    cluster = Cluster(root, 55435).init()
    server = None
    started = time.perf_counter()
    try:
        cluster.start()
        cluster.sql("CREATE DATABASE amparo")
        env = {**environment(cluster.url()), "AMPARO_MEDIA_ROOT": str(root / "media")}
        subprocess.run([AMPARO, "migrate", "--no-input", "-v0"], env=env, check=True)
        code = subprocess.run([AMPARO, "shell", "-c", SETUP], env=env, check=True,
                              capture_output=True, text=True).stdout.split()[-1]
        token = subprocess.run([AMPARO, "token", "create", "lima.caseworker", "--reason",
                                "Simulacro de caída de la base de datos"], env=env, check=True,
                               capture_output=True, text=True).stdout.split()[-1]
        port = _port()
        server = subprocess.Popen([AMPARO, "serve", "--bind", f"127.0.0.1:{port}",
                                   "--workers", "3", "--timeout", "20", "--access-log", ""],
                                  env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        url = f"http://127.0.0.1:{port}/api/v1/cases/{code}/notes/"
        for _ in range(100):
            with contextlib.suppress(OSError):
                urllib.request.urlopen(f"http://127.0.0.1:{port}/salud/", timeout=1)
                break
            time.sleep(0.1)
        answered: list = []  # (phase, status, note id or "")
        phase = ["before"]
        stop = threading.Event()

        def client():
            while not stop.is_set():
                body = json.dumps({"text": f"nota {uuid.uuid4()}"}).encode()
                request = urllib.request.Request(url, data=body, method="POST", headers={
                    "Authorization": f"Bearer {token}", "Content-Type": "application/json",
                    "Idempotency-Key": str(uuid.uuid4())})
                try:
                    with urllib.request.urlopen(request, timeout=30) as response:
                        answered.append((phase[0], response.status,
                                         json.loads(response.read())["id"]))
                except urllib.error.HTTPError as error:
                    detail = error.read()
                    answered.append((phase[0], error.code, "" if detail.startswith(b"{")
                                     else "not json"))
                except OSError as error:
                    answered.append((phase[0], 0, str(error)[:60]))

        threads = [threading.Thread(target=client) for _ in range(options.clients)]
        for thread in threads:
            thread.start()
        time.sleep(options.seconds)
        phase[0] = "crash"
        cluster.kill9()
        time.sleep(options.seconds / 2)
        cluster.start()  # crash recovery replays the WAL
        phase[0] = "after"
        time.sleep(options.seconds)
        stop.set()
        for thread in threads:
            thread.join()
        found = json.loads(subprocess.run([AMPARO, "shell", "-c", CHECK], env=env, check=True,
                                          capture_output=True, text=True).stdout.split("\n")[-2])
        created = {note for _phase, status, note in answered if status == 201}
        lost = created - set(found["ids"])
        problems = []
        if lost:
            problems.append(f"{len(lost)} notes answered 201 are missing")
        if found["events"] != len(found["ids"]):
            problems.append(f"{len(found['ids'])} notes but {found['events']} create events")
        if any(note == "not json" for _p, _s, note in answered):
            problems.append("an error answered without a JSON message")
        by_phase = {p: sum(1 for q, s, _n in answered if q == p and s == 201)
                    for p in ("before", "crash", "after")}
        if not by_phase["before"] or not by_phase["after"]:
            problems.append(f"creates per phase {by_phase}: the drill did not exercise both "
                            "sides of the crash")
        refused = sum(1 for _p, s, _n in answered if s != 201)
        seconds = time.perf_counter() - started
        summary = (f"{len(created)} notes answered 201 ({by_phase}), all in the database after "
                   f"restart; {refused} requests refused during the outage; "
                   f"{len(found['ids'])} notes, each with its access event")
        print(f"{'FAIL' if problems else 'PASS'} kill -9 of PostgreSQL under writes "
              f"({seconds:.0f} s): " + ("; ".join(problems) if problems else summary))
        return 1 if problems else 0
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        with contextlib.suppress(subprocess.CalledProcessError):
            cluster.stop("immediate")
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
