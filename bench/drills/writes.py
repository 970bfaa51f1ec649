"""The stream of API writes the crash drills break: `amparo serve` (gunicorn, production
settings) on a drill's own PostgreSQL cluster, several clients creating notes on one case, each
create retried with the same Idempotency-Key until it is answered (as a careful client does
after a dropped connection). A drill kills something in the middle and says how it comes back;
`check` then proves that every create answered 201 is in the database, that nothing is written
twice or half (each note has the access event written in its transaction) and that every error
was a JSON message."""

from __future__ import annotations

import contextlib
import json
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

from production import AMPARO, environment

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
from collections import Counter
from amparo.audit.models import AccessEvent
from amparo.cases.models import Note
notes = list(Note.objects.select_related("data_key"))
texts = Counter(note.unseal("text") for note in notes)
events = AccessEvent.objects.filter(action="create", section="notes").count()
print(json.dumps({"ids": sorted(str(n.pk) for n in notes), "events": events,
                  "twice": sum(1 for c in texts.values() if c > 1)}))
"""


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Writes:
    def __init__(self, cluster, root: Path, *, clients: int = 4):
        self.cluster, self.root, self.clients = cluster, root, clients
        self.server: subprocess.Popen | None = None
        self.answered: list = []  # (phase, status, note id or a reason)
        self.phase = "before"
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []

    def prepare(self) -> None:
        self.cluster.start()
        self.cluster.sql("CREATE DATABASE amparo")
        self.env = {**environment(self.cluster.url()),
                    "AMPARO_MEDIA_ROOT": str(self.root / "media")}
        subprocess.run([AMPARO, "migrate", "--no-input", "-v0"], env=self.env, check=True)
        code = self._shell(SETUP).split()[-1]
        token = subprocess.run(
            [AMPARO, "token", "create", "lima.caseworker", "--reason",
             "Simulacro de caída"], env=self.env, check=True, capture_output=True,
            text=True).stdout.split()[-1]
        self.port = _port()
        self.url = f"http://127.0.0.1:{self.port}/api/v1/cases/{code}/notes/"
        self.token = token

    def _shell(self, code: str) -> str:
        return subprocess.run([AMPARO, "shell", "-c", code], env=self.env, check=True,
                              capture_output=True, text=True).stdout

    def serve(self) -> None:
        """The production server, waited for until it answers."""
        self.server = subprocess.Popen(
            [AMPARO, "serve", "--bind", f"127.0.0.1:{self.port}", "--workers", "3",
             "--timeout", "20", "--access-log", ""], env=self.env, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL, start_new_session=True)
        for _ in range(300):
            with contextlib.suppress(OSError):
                urllib.request.urlopen(f"http://127.0.0.1:{self.port}/salud/", timeout=1)
                return
            time.sleep(0.1)

    def _client(self) -> None:
        while not self._stop.is_set():
            body = json.dumps({"text": f"nota {uuid.uuid4()}"}).encode()
            key = str(uuid.uuid4())
            while not self._stop.is_set():  # the same create until it is answered
                request = urllib.request.Request(self.url, data=body, method="POST", headers={
                    "Authorization": f"Bearer {self.token}",
                    "Content-Type": "application/json", "Idempotency-Key": key})
                try:
                    with urllib.request.urlopen(request, timeout=30) as response:
                        self.answered.append((self.phase, response.status,
                                              json.loads(response.read())["id"]))
                    break
                except urllib.error.HTTPError as error:
                    detail = error.read()
                    self.answered.append((self.phase, error.code,
                                          "" if detail.startswith(b"{") else "not json"))
                    if error.code < 500 and error.code != 409:
                        break  # refused for good; a 5xx or "being processed" is retried
                except OSError as error:  # no server, or the connection dropped
                    self.answered.append((self.phase, 0, str(error)[:60]))
                time.sleep(0.05)

    def start(self) -> None:
        self._threads = [threading.Thread(target=self._client) for _ in range(self.clients)]
        for thread in self._threads:
            thread.start()

    def stop(self) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join()

    def check(self) -> tuple[list[str], str]:
        """(problems, summary) once the writes have stopped."""
        found = json.loads(self._shell(CHECK).strip().splitlines()[-1])
        created = {note for _phase, status, note in self.answered if status == 201}
        problems = []
        if lost := created - set(found["ids"]):
            problems.append(f"{len(lost)} notes answered 201 are missing")
        if found["twice"]:
            problems.append(f"{found['twice']} notes written twice despite the key")
        if found["events"] != len(found["ids"]):
            problems.append(f"{len(found['ids'])} notes but {found['events']} create events")
        if any(note == "not json" for _p, _s, note in self.answered):
            problems.append("an error answered without a JSON message")
        by_phase = {p: sum(1 for q, s, _n in self.answered if q == p and s == 201)
                    for p in ("before", "crash", "after")}
        if not by_phase["before"] or not by_phase["after"]:
            problems.append(f"creates per phase {by_phase}: the drill did not exercise both "
                            "sides of the crash")
        failed = sum(1 for _p, s, _n in self.answered if s != 201)
        summary = (f"{len(created)} notes answered 201 ({by_phase}), all in the database; "
                   f"{failed} attempts failed during the outage and were retried; "
                   f"{len(found['ids'])} notes, none twice, each with its access event")
        return problems, summary

    def close(self) -> None:
        if self.server is not None and self.server.poll() is None:
            self.server.terminate()
            self.server.wait(timeout=30)
        with contextlib.suppress(subprocess.CalledProcessError):
            self.cluster.stop("immediate")


def drill(title: str, *, port: int, crash, restart, argv=None) -> int:
    """A crash drill: writes for --seconds, `crash(writes)`, a pause, `restart(writes)`,
    writes again, then the check; prints PASS or FAIL with `title` and returns the exit code."""
    import argparse
    import shutil
    import sys
    import tempfile

    from cluster import Cluster

    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=4, help="of writes before, during "
                                                                 "and after the crash")
    parser.add_argument("--clients", type=int, default=4)
    options = parser.parse_args(argv if argv is not None else sys.argv[1:])
    root = Path(tempfile.mkdtemp(prefix="amparo-drill-"))
    root.chmod(0o755)
    writes = Writes(Cluster(root, port).init(), root, clients=options.clients)
    started = time.perf_counter()
    try:
        writes.prepare()
        writes.serve()
        writes.start()
        time.sleep(options.seconds)
        writes.phase = "crash"
        crash(writes)
        time.sleep(options.seconds / 2)
        restart(writes)
        writes.phase = "after"
        time.sleep(options.seconds)
        writes.stop()
        problems, summary = writes.check()
        print(f"{'FAIL' if problems else 'PASS'} {title} "
              f"({time.perf_counter() - started:.0f} s): "
              + ("; ".join(problems) if problems else summary))
        return 1 if problems else 0
    finally:
        writes.close()
        shutil.rmtree(root, ignore_errors=True)
