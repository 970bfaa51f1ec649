"""Crash drill: kill -9 of the background worker (`amparo db_worker`, production settings)
while it writes an import of a legacy register. PASS when nothing of the killed import is in
the database, the run is taken back (`amparo runs_recover`, which the worker's systemd unit runs
before each start) with a message instead of saying "running" for ever, the same import started
again finishes with every row, and importing the same file a third time changes nothing.

    .venv/bin/python bench/drills/worker_kill.py [--rows 4000]

About a minute; run as root (the cluster runs as the `postgres` user). Prints PASS or FAIL."""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]
from cluster import Cluster  # noqa: E402
from production import AMPARO, environment  # noqa: E402

SETUP = """
from pathlib import Path
from django.utils import translation
from amparo.accounts.models import Office, User
from amparo.demo.legacy import legacy_register
from amparo.demo.services import demo_users_seed
from amparo.imports.execute import import_run
from amparo.imports.mapping import mapping_load
from amparo.imports.propose import propose, to_yaml
from amparo.imports.services import import_queue, import_run_create
with translation.override("es"):
    demo_users_seed()
user = User.objects.get(username="maldonado.coordinator")
path = legacy_register(Path({workbook!r}), rows={rows})
text = to_yaml(propose(path, office="maldonado"))
text = text.replace("unknown_values: reject", "unknown_values: note")
text = text.replace("case.arrival: null", "case.arrival: otra")
text = text.replace("case.guardian_type: null", "case.guardian_type: otro")
Path({mapping!r}).write_text(text, encoding="utf-8")
run = import_run_create(actor=user, office=Office.objects.get(code="maldonado"),
                        file_name=path.name, content=path.read_bytes(), mapping_text=text)
import_run(actor=user, path=path.read_bytes(), name=path.name, mapping=mapping_load(text),
           dry_run=True, partial=True, run=run)
run.refresh_from_db()
assert run.status == "checked", run.status
import_queue(actor=user, run=run, mapping_text=text, dry_run=False, partial=True)
print(run.pk)
"""
REQUEUE = """
from amparo.accounts.models import User
from amparo.imports.models import ImportRun
from amparo.imports.services import import_queue
run = ImportRun.objects.get(pk={run!r})
print(run.status, "|", run.error)
import_queue(actor=User.objects.get(username="maldonado.coordinator"), run=run,
             mapping_text=run.mapping_text, dry_run=False, partial=True)
"""
AGAIN = """
import json
from pathlib import Path
from amparo.accounts.models import User
from amparo.imports.execute import import_run
from amparo.imports.mapping import mapping_load
result = import_run(actor=User.objects.get(username="maldonado.coordinator"),
                    path=Path({workbook!r}), mapping=mapping_load(Path({mapping!r}).read_text()),
                    dry_run=False, partial=True)
print(json.dumps({{"status": result.run.status, "counts": result.run.counts}}))
"""
COUNTS = ("SELECT (SELECT count(*) FROM cases_case) || ' ' || "
          "(SELECT count(*) FROM imports_importedrecord) || ' ' || "
          "(SELECT count(*) FROM imports_importchange)")


def _status(cluster: Cluster, run: str) -> tuple[str, str]:
    row = cluster.sql(f"SELECT status || '|' || stage FROM imports_importrun "
                      f"WHERE id = '{run}'", "amparo")
    status, _, stage = row.partition("|")
    return status, stage


def _worker(env: dict) -> subprocess.Popen:
    return subprocess.Popen([AMPARO, "db_worker", "--interval", "0.2"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)


def _kill(worker: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(worker.pid, signal.SIGKILL)
    worker.wait()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=4000)
    options = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="amparo-worker-kill-"))
    root.chmod(0o755)
    cluster = Cluster(root, 55436).init()
    worker = None
    started = time.perf_counter()
    problems: list[str] = []
    try:
        cluster.start()
        cluster.sql("CREATE DATABASE amparo")
        env = {**environment(cluster.url()), "AMPARO_MEDIA_ROOT": str(root / "media")}
        subprocess.run([AMPARO, "migrate", "--no-input", "-v0"], env=env, check=True)
        workbook, mapping = str(root / "registro.xlsx"), str(root / "mapping.yaml")
        run = subprocess.run([AMPARO, "shell", "-c", SETUP.format(
            workbook=workbook, mapping=mapping, rows=options.rows)], env=env, check=True,
            capture_output=True, text=True).stdout.split()[-1]
        worker = _worker(env)
        deadline = time.time() + 300
        while _status(cluster, run) != ("running", "writing") and time.time() < deadline:
            time.sleep(0.1)
        time.sleep(1.0)  # well into the rows
        _kill(worker)
        status, _stage = _status(cluster, run)
        cases, records, changes = cluster.sql(COUNTS, "amparo").split()
        if status != "running":
            problems.append(f"the import ended ({status}) before the kill: use more --rows")
        if (cases, records, changes) != ("0", "0", "0"):
            problems.append(f"half-imported: {cases} cases, {records} imported records, "
                            f"{changes} changes after the kill")
        recovered = subprocess.run([AMPARO, "runs_recover"], env=env, check=True,
                                   capture_output=True, text=True).stdout.strip()
        said = subprocess.run([AMPARO, "shell", "-c", REQUEUE.format(run=run)], env=env,
                              check=True, capture_output=True, text=True
                              ).stdout.strip().splitlines()[-1]
        if not said.startswith("checked |") or "No se importó nada" not in said:
            problems.append(f"the killed run was not taken back with a message: {said!r}")
        worker = _worker(env)
        deadline = time.time() + 600
        while _status(cluster, run)[0] in ("queued", "running") and time.time() < deadline:
            time.sleep(0.2)
        _kill(worker)
        worker = None
        final = _status(cluster, run)[0]
        counts = json.loads(cluster.sql(f"SELECT counts FROM imports_importrun "
                                        f"WHERE id = '{run}'", "amparo"))
        cases = int(cluster.sql("SELECT count(*) FROM cases_case", "amparo"))
        if final != "done" or counts.get("imported", 0) != cases or not cases:
            problems.append(f"started again: {final}, {counts}, {cases} cases")
        again = json.loads(subprocess.run(
            [AMPARO, "shell", "-c", AGAIN.format(workbook=workbook, mapping=mapping)], env=env,
            check=True, capture_output=True, text=True).stdout.strip().splitlines()[-1])
        after = int(cluster.sql("SELECT count(*) FROM cases_case", "amparo"))
        if after != cases or again["counts"].get("imported") or again["counts"].get("updated"):
            problems.append(f"the same file a third time changed something: {again}, "
                            f"{after} cases (was {cases})")
        seconds = time.perf_counter() - started
        summary = (f"killed while writing: nothing imported; {recovered.rstrip('.').lower()}; "
                   f"started again: {cases} cases imported ({counts}); the same file again: "
                   f"{again['counts']}, still {after} cases")
        print(f"{'FAIL' if problems else 'PASS'} kill -9 of the worker during an import "
              f"({seconds:.0f} s): " + ("; ".join(problems) if problems else summary))
        return 1 if problems else 0
    finally:
        if worker is not None:
            _kill(worker)
        with contextlib.suppress(subprocess.CalledProcessError):
            cluster.stop("immediate")
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
