"""Record linkage, measured (issue 6): precision, recall and F1 at the default threshold, wall
time and peak memory, for Amparo's engine and for a generic Splink model (generic.py), on the
same generated data (amparo/linkage/synthetic.py) in the same run.

    .venv/bin/python bench/linkage/run.py [--scenarios a b c] [--seed 1] [--threads 2]

Scenarios: (a) 50,000 reports against 20,000 persons; (b) deduplication of 20,000 persons;
(c) 1,000,000 reports against 100,000 persons; after (a), (a'): 200 new reports scored
incrementally against the 20,000 persons with (a)'s model. Each model runs as its own
process (Amparo's through `amparo linkage match-files` / `dedupe-file`, exactly as an operator
would), so that its time and peak resident memory are its own; generating the data is not
counted. Files go to var/bench/linkage/. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import csv
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
VAR = ROOT / "var" / "bench" / "linkage"
sys.path[:0] = [str(HERE), str(ROOT)]

from amparo.linkage.synthetic import Generator, write  # noqa: E402

SCENARIOS = {
    "a": ("link", {"reports": 50_000, "persons": 20_000}),
    "b": ("dedupe", {"persons": 20_000}),
    "c": ("link", {"reports": 1_000_000, "persons": 100_000}),
}


def _measure(command: list[str], env: dict) -> tuple[float, float]:
    start = time.monotonic()
    process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, text=True)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.monotonic() - start
    if status != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{process.stderr.read()}")
    return seconds, usage.ru_maxrss / 1024


def _score(path: Path, truth: set[tuple[str, str]], dedupe: bool) -> tuple[float, float, float]:
    found = set()
    with path.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            pair = (row["left_id"], row["right_id"])
            found.add(tuple(sorted(pair)) if dedupe else pair)
    hits = len(found & truth)
    precision = hits / len(found) if found else 0.0
    recall = hits / len(truth) if truth else 0.0
    f1 = 2 * precision * recall / (precision + recall) if hits else 0.0
    return precision, recall, f1


def incremental(files: list[Path], truth: set, new: int = 200) -> None:
    """Scenario (a)'s model kept, then `new` reports scored against the 20,000 persons as the
    worker does after an import: loading the persons into a fresh engine, and the incremental
    prediction. Timed in this process; training is not counted (a full run did it)."""
    from amparo.linkage.engine import POSSIBLE, PROBABLE, Engine
    from amparo.linkage.records import records_read

    reports, persons = records_read(files[0]), records_read(files[1])
    trained = Engine(reports, persons)
    trained.train()
    model = {**trained.model(), "link_type": "dedupe_only"}
    start = time.monotonic()
    engine = Engine(persons, model=model)
    loaded = time.monotonic() - start
    pairs = list(engine.pairs_new(reports[:new], POSSIBLE))
    seconds = time.monotonic() - start
    batch = {r.record_id for r in reports[:new]}
    wanted = {t for t in truth if t[0] in batch}
    found = {(p.right_id, p.left_id) for p in pairs if p.probability >= PROBABLE}
    hits = len(found & wanted)
    print(f"(a') {new} new reports × {len(persons):,} persons, incremental: "
          f"{seconds:.1f} s ({loaded:.1f} s loading the persons), {hits} of {len(wanted)} true "
          f"pairs found, {len(found) - hits} others", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenarios", nargs="*", default=["a", "b", "c"])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("AMPARO_DEMO", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "amparo.settings")
    import django

    django.setup()
    from amparo.linkage.comparisons import PROBABLE

    env = {**os.environ, "AMPARO_DEMO": "1", "DJANGO_SETTINGS_MODULE": "amparo.settings"}
    amparo = str(Path(sys.executable).parent / "amparo")
    print(f"threshold {PROBABLE}, seed {args.seed}, {args.threads} DuckDB threads, "
          f"{os.cpu_count()} cores")
    print(f"{'scenario':<34}{'model':<9}{'pairs':>8}{'P':>7}{'R':>7}{'F1':>7}"
          f"{'seconds':>9}{'peak MB':>9}")
    for key in args.scenarios:
        kind, sizes = SCENARIOS[key]
        generator = Generator(args.seed + ord(key))
        if kind == "link":
            left, right, truth = generator.link(**sizes)
            files = [write(left, VAR / f"{key}_reports.csv"),
                     write(right, VAR / f"{key}_persons.csv")]
            label = f"({key}) {sizes['reports']:,} reports × {sizes['persons']:,}"
            ours = [amparo, "linkage", "match-files", *map(str, files)]
            generic = [sys.executable, str(HERE / "generic.py"), "match", *map(str, files)]
        else:
            rows, truth = generator.dedupe(**sizes)
            files = [write(rows, VAR / f"{key}_persons.csv")]
            label = f"({key}) dedupe {sizes['persons']:,} persons"
            ours = [amparo, "linkage", "dedupe-file", str(files[0])]
            generic = [sys.executable, str(HERE / "generic.py"), "dedupe", str(files[0])]
        del generator
        scores = {}
        for name, command in (
            ("amparo", ours + ["--out", str(VAR / f"{key}_amparo.csv"), "--threshold",
                               str(PROBABLE), "--threads", str(args.threads)]),
            ("generic", generic + [str(VAR / f"{key}_generic.csv"), str(PROBABLE)]),
        ):
            seconds, peak = _measure(command, env)
            out = VAR / f"{key}_{name}.csv"
            precision, recall, f1 = _score(out, truth, kind == "dedupe")
            scores[name] = f1
            pairs = sum(1 for _ in out.open()) - 1
            print(f"{label:<34}{name:<9}{pairs:>8}{precision:>7.3f}{recall:>7.3f}{f1:>7.3f}"
                  f"{seconds:>9.1f}{peak:>9.0f}", flush=True)
        print(f"{'':<34}F1 gain over the generic model: {scores['amparo'] - scores['generic']:+.3f}"
              f" ({len(truth):,} true pairs)", flush=True)
        if key == "a":
            incremental(files, truth)


if __name__ == "__main__":
    main()
