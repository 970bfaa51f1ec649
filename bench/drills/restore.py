"""Backup and point-in-time recovery drill: a PostgreSQL cluster of its own archives its WAL;
a base backup is taken; cases and sealed documents are written; the moment T is noted with the
access log's head; more is written; then the cluster is restored, from the base backup and the
archive, to T, into a fresh cluster. PASS when the restored database holds exactly what was
there at T (cases, documents, access events), the access log verifies with the head noted at
T, and every document restored with the files opens with the key ring.

    .venv/bin/python bench/drills/restore.py [--cases 20] [--keep]

Production configuration (bench/production.py), about a minute; run as root (the cluster runs
as the `postgres` user). Prints one line: PASS or FAIL and why."""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]
from cluster import Cluster  # noqa: E402
from production import AMPARO, environment  # noqa: E402

WRITE = """
import json
from django.utils import translation
from amparo.cases.models import Case
from amparo.cases.services import document_add
from amparo.demo.cases import cases_seed
from amparo.demo.services import demo_users_seed
with translation.override("es"):
    demo_users_seed()
cases_seed(count={count}, seed={seed})
for case in Case.objects.exclude(status="cerrado").exclude(worker=None).select_related(
        "worker").order_by("-pk")[:2]:
    document_add(actor=case.worker, case=case, kind="otro", title="Acta {seed}",
                 content=b"%PDF-1.4 acta {seed} " + case.code.encode())
"""
STATE = """
import json
from amparo.audit.models import AccessEvent
from amparo.cases.models import Case, CaseDocument
from amparo.core.documents import sealed_read
opened = 0
for document in CaseDocument.objects.select_related("data_key"):
    opened += sealed_read(document).startswith(b"%PDF")
head = AccessEvent.objects.order_by("-id").first()
print(json.dumps({{"cases": Case.objects.count(), "documents": CaseDocument.objects.count(),
                  "opened": opened, "events": AccessEvent.objects.count(),
                  "head": head.hash if head else ""}}))
"""


def amparo(env: dict, *args: str) -> str:
    done = subprocess.run([AMPARO, *args], env=env, capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(f"amparo {' '.join(args)}: {done.stderr.strip()[-800:]}")
    return done.stdout


def state(env: dict) -> dict:
    return json.loads(amparo(env, "shell", "-c", STATE.format()).strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=20)
    parser.add_argument("--keep", action="store_true", help="keep the drill's folder")
    options = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="amparo-restore-"))
    os.chmod(root, 0o755)
    archive = root / "wal"
    live = Cluster(root, 55433, archive=archive).init()
    restored = Cluster(root, 55434, archive=archive)
    started = time.perf_counter()
    try:
        live.start()
        live.sql("CREATE DATABASE amparo")
        env = {**environment(live.url()), "AMPARO_MEDIA_ROOT": str(root / "media"),
               "AMPARO_AUDIT_ANCHOR": str(root / "anchors.jsonl")}
        amparo(env, "migrate", "--no-input", "-v0")
        amparo(env, "shell", "-c", WRITE.format(count=options.cases, seed=1))
        live.base_backup(root / "base")
        amparo(env, "shell", "-c", WRITE.format(count=options.cases, seed=2))
        at_t = state(env)
        moment = live.sql("SELECT now()")
        time.sleep(1.5)
        amparo(env, "shell", "-c", WRITE.format(count=options.cases, seed=3))
        after = state(env)
        live.sql("SELECT pg_switch_wal()")
        live.stop()
        shutil.copytree(root / "media", root / "media-backup")  # the files, backed up too
        restored.restore_from(root / "base", target_time=moment)
        restored.start()
        restored.wait_promoted()
        env2 = {**env, "DATABASE_URL": restored.url(),
                "AMPARO_MEDIA_ROOT": str(root / "media-backup")}
        got = state(env2)
        verify = subprocess.run([AMPARO, "audit", "verify", "--expect-head", at_t["head"]],
                                env=env2, capture_output=True, text=True)
        problems = [f"{key}: {got[key]} restored, {at_t[key]} at T" for key in
                    ("cases", "documents", "events", "head") if got[key] != at_t[key]]
        if got["opened"] != got["documents"]:
            problems.append(f"{got['documents'] - got['opened']} documents do not open")
        if verify.returncode:
            problems.append("audit verify: " + verify.stderr.strip()[-300:])
        if after["cases"] <= at_t["cases"]:
            problems.append("nothing was written after T: the drill proves nothing")
        seconds = time.perf_counter() - started
        if problems:
            print(f"FAIL restore to T ({seconds:.0f} s): " + "; ".join(problems))
            return 1
        print(f"PASS restore to T ({seconds:.0f} s): {got['cases']} cases, {got['documents']} "
              f"documents (all open), {got['events']} access events and the head at T "
              f"(after T there were {after['cases']} cases); audit verify --expect-head ok")
        return 0
    finally:
        for cluster in (restored, live):
            with contextlib.suppress(subprocess.CalledProcessError):  # already stopped
                cluster.stop("immediate")
        if not options.keep:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
