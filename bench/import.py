"""How long importing a 100,000-row legacy workbook takes, and how much memory it needs, beside
the floor any import pays: reading the same workbook with openpyxl and nothing else.

    .venv/bin/python bench/import.py [--rows 100000] [--postgres]

Generates a fictitious register (`amparo.demo.legacy`: 15 sheets, one per year, messy values,
about 1% of rows wrong on purpose) under var/bench/, migrates a fresh database (SQLite under
var/bench/, or with --postgres a new database on 127.0.0.1), proposes the mapping and fills its
defaults, then runs each phase in its own process so that its peak memory is its own:

- read: openpyxl read-only, every cell of every row (the baseline);
- dry run: read, parse and check every row, classify by key; writes nothing;
- import (--partial: the rows wrong on purpose are reported and left out);
- again: the same file a second time (every row unchanged);
- undo: the whole import taken back.

Prints seconds and peak resident memory for each. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import production  # bench/production.py: the production configuration on this machine

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var" / "bench"


def _env(database: str) -> dict:
    """The production configuration (bench/production.py), on SQLite or PostgreSQL."""
    return production.environment(database)


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def phase(name: str, workbook: str, mapping: str) -> dict:
    """One phase, in this (child) process."""
    import django

    django.setup()
    from amparo.accounts.models import User
    from amparo.imports.execute import import_run
    from amparo.imports.mapping import mapping_load
    from amparo.imports.models import ImportRun
    from amparo.imports.services import import_undo

    user = User.objects.get(username="bench.coordinator")
    rules = mapping_load(Path(mapping).read_text(encoding="utf-8"))
    started = time.perf_counter()
    if name == "read":
        from openpyxl import load_workbook

        book = load_workbook(workbook, read_only=True, data_only=True)
        cells = sum(len(row) for sheet in book for row in sheet.iter_rows(values_only=True))
        book.close()
        detail = f"{cells} cells"
    elif name == "undo":
        run = ImportRun.objects.filter(status=ImportRun.Status.DONE).order_by("created_at").first()
        import_undo(actor=user, run=run)
        detail = f"{run.counts.get('imported', 0)} cases deleted"
    else:
        result = import_run(actor=user, path=workbook, mapping=rules, dry_run=name == "dry run",
                            partial=True)
        detail = f"{result.run.status}: " + ", ".join(
            f"{k} {v}" for k, v in sorted(result.run.counts.items()))
    return {"phase": name, "seconds": time.perf_counter() - started, "peak_mb": _peak_mb(),
            "detail": detail}


def prepare(rows: int, database: str) -> tuple[Path, Path]:
    env = _env(database)
    workbook = VAR / f"legacy-{rows}.xlsx"
    code = f"""
import django, sys
django.setup()
from pathlib import Path
from django.core.management import call_command
from amparo.accounts.models import Office, RoleAssignment, User
from amparo.demo.legacy import legacy_register
from amparo.imports.propose import propose, to_yaml
call_command("migrate", verbosity=0)
user, _ = User.objects.get_or_create(username="bench.coordinator")
RoleAssignment.objects.get_or_create(user=user, role="coordinator",
                                     office=Office.objects.get(code="maldonado"))
path = Path({str(workbook)!r})
if not path.exists():
    legacy_register(path, rows={rows})
text = to_yaml(propose(path, office="maldonado"))
text = text.replace("unknown_values: reject", "unknown_values: note")
text = text.replace("case.arrival: null", "case.arrival: otra")
text = text.replace("case.guardian_type: null", "case.guardian_type: otro")
Path({str(VAR / "mapping.yaml")!r}).write_text(text, encoding="utf-8")
"""
    subprocess.run([sys.executable, "-c", code], env=env, check=True, cwd=ROOT)
    return workbook, VAR / "mapping.yaml"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--phase", help=argparse.SUPPRESS)
    parser.add_argument("--workbook", help=argparse.SUPPRESS)
    parser.add_argument("--mapping", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        print(json.dumps(phase(args.phase, args.workbook, args.mapping)))
        return
    VAR.mkdir(parents=True, exist_ok=True)
    if args.postgres:
        dbname = f"amparo_bench_import_{os.getpid()}"
        subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", dbname], check=True)
        database = f"postgres://postgres@127.0.0.1:5432/{dbname}"
    else:
        sqlite = VAR / "import.sqlite3"
        for leftover in VAR.glob("import.sqlite3*"):
            leftover.unlink()
        database = f"sqlite:///{sqlite}"
    try:
        started = time.perf_counter()
        workbook, mapping = prepare(args.rows, database)
        print(f"Prepared {workbook.name} ({workbook.stat().st_size / 1e6:.1f} MB) and a fresh "
              f"{'PostgreSQL' if args.postgres else 'SQLite'} database in "
              f"{time.perf_counter() - started:.0f} s; {os.cpu_count()} cores.")
        print(f"{'phase':<10} {'seconds':>8} {'peak MB':>8}  result")
        for name in ("read", "dry run", "import", "again", "undo"):
            done = subprocess.run(
                [sys.executable, __file__, "--phase", name, "--workbook", str(workbook),
                 "--mapping", str(mapping)], env=_env(database), cwd=ROOT,
                capture_output=True, text=True)
            if done.returncode:
                sys.exit(f"{name} failed:\n{done.stderr[-3000:]}")
            figures = json.loads(done.stdout.strip().splitlines()[-1])
            print(f"{name:<10} {figures['seconds']:>8.1f} {figures['peak_mb']:>8.0f}  "
                  f"{figures['detail']}")
    finally:
        if args.postgres:
            subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists",
                            dbname], check=False)


if __name__ == "__main__":
    main()
