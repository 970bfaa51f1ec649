"""Record linkage at three sizes with the same share of true links (issue 24): do the
probabilities mean the same at 20,000, 100,000 and 1,000,000 reports, and does the queue get
better with reviewers' decisions?

    .venv/bin/python bench/linkage/calibration.py [--sizes 20000 100000 1000000] [--seed 1]
                                                  [--learn 100000] [--memory 3GB]
                                                  [--engine duckdb|spark]

For each size: reports against a tenth as many registered persons, about 0.2 % of the reports
about a registered woman (the share of the national register of alerts), drawn by
amparo/linkage/synthetic.py. Amparo's engine runs as an operator runs it (`amparo linkage
match-files`, its own process, so time and peak memory are its own; DuckDB's memory limit
--memory), and prints, against the generator's truth:

- the operating point it chose for a precision of 0.95, and the precision, recall and F1 there;
- the true pairs it expected in all, against the true count, and its prior against the true one;
- the expected calibration error: over the pairs it scored at 0.01 or more, in ten bins of
  probability, the gap between the pairs' mean probability and the share that were true,
  weighed by the bin's size; beside it, the error a perfectly calibrated model would show on
  the same pairs by chance (on a few dozen pairs, not small);
- time and peak memory; and beside it the generic Splink model (generic.py) at 0.5.

With --learn SIZE: at that size, simulated reviewers decide the pairs the model is least sure of
(probability nearest 0.5, which an active-learning queue would ask first) by the truth; F1 at the
operating point after 0, 50, 100 and 200 decisions, each model trained on them afresh, and F1
of the queue as the coordinator has it (her decisions standing, the model's pairs for the rest).
Files go to var/bench/linkage/. Not part of the test suite."""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
VAR = ROOT / "var" / "bench" / "linkage"
sys.path[:0] = [str(HERE), str(ROOT)]

from run import _measure, _score  # noqa: E402

KNOWN_SHARE = 0.0167  # of the persons, with one or two reports: about 0.2 % of the reports


def _pairs(path: Path) -> list[tuple[str, str, float]]:
    import csv

    with path.open(encoding="utf-8") as handle:
        return [(row["left_id"], row["right_id"], float(row["match_probability"]))
                for row in csv.DictReader(handle)]


def calibration_error(pairs, truth, bins: int = 10) -> float:
    """Expected calibration error over the scored pairs: Σ |expected − observed| / pairs."""
    if not pairs:
        return 0.0
    gap = 0.0
    for b in range(bins):
        low, high = b / bins, (b + 1) / bins
        inside = [(a, c, p) for a, c, p in pairs if low <= p < high or (b == bins - 1 and p == 1)]
        gap += abs(sum(p for *_, p in inside) - sum((a, c) in truth for a, c, _ in inside))
    return gap / len(pairs)


def chance_error(pairs, draws: int = 200, seed: int = 7) -> float:
    """The calibration error a perfectly calibrated model would show on these pairs by chance
    alone (each pair true with its own probability), averaged over draws: on a few dozen pairs
    it is not small, and an error near it says nothing against the model."""
    import random

    rng = random.Random(seed)
    total = 0.0
    for _ in range(draws):
        drawn = {(a, c) for a, c, p in pairs if rng.random() < p}
        total += calibration_error(pairs, drawn)
    return total / draws


def _f1(found: set, truth: set) -> tuple[float, float, float]:
    hits = len(found & truth)
    precision = hits / len(found) if found else 0.0
    recall = hits / len(truth) if truth else 0.0
    return precision, recall, (2 * precision * recall / (precision + recall) if hits else 0.0)


def size_run(size: int, seed: int, memory: str, env: dict, amparo: str,
             engine: str = "duckdb") -> None:
    from amparo.linkage.synthetic import Generator, write

    persons = size // 10
    left, right, truth = Generator(seed + size).link(reports=size, persons=persons,
                                                     known_share=KNOWN_SHARE)
    files = [write(left, VAR / f"cal{size}_reports.csv"),
             write(right, VAR / f"cal{size}_persons.csv")]
    del left, right
    out, summary = VAR / f"cal{size}_amparo.csv", VAR / f"cal{size}_amparo.json"
    seconds, peak = _measure([amparo, "linkage", "match-files", *map(str, files), "--out",
                              str(out), "--threshold", "0.01", "--summary", str(summary),
                              "--memory", memory, "--threads", "2", "--engine", engine], env)
    figures = json.loads(summary.read_text())
    point = figures["operating_point"]
    scored = _pairs(out)
    chosen = {(a, b) for a, b, p in scored if p >= point["threshold"]}
    precision, recall, f1 = _f1(chosen, truth)
    ece = calibration_error(scored, truth)
    true_prior = len(truth) / figures["comparisons"]
    label = f"{size:,} × {persons:,}"
    print(f"{label:<22}{engine:<9}{point['threshold']:>7.3f}{len(chosen):>7}{precision:>7.3f}"
          f"{recall:>7.3f}{f1:>7.3f}{ece:>7.3f}{chance_error(scored):>7.3f}"
          f"{point['total']:>9.0f}{len(truth):>7}"
          f"{figures['prior'] / true_prior:>7.2f}{seconds:>8.0f}{peak:>8.0f}", flush=True)
    generic = VAR / f"cal{size}_generic.csv"
    seconds, peak = _measure([sys.executable, str(HERE / "generic.py"), "match",
                              *map(str, files), str(generic), "0.5"], env)
    scored = _pairs(generic)
    precision, recall, f1 = _score(generic, truth, False)
    print(f"{label:<22}{'generic':<9}{0.5:>7.3f}{len(scored):>7}{precision:>7.3f}"
          f"{recall:>7.3f}{f1:>7.3f}{calibration_error(scored, truth):>7.3f}"
          f"{chance_error(scored):>7.3f}{'':>9}{'':>7}{'':>7}{seconds:>8.0f}{peak:>8.0f}",
          flush=True)


def learning(size: int, seed: int, memory: str) -> None:
    """F1 at the operating point after 0, 50, 100 and 200 simulated decisions."""
    from amparo.linkage.engine import Engine
    from amparo.linkage.records import records_read
    from amparo.linkage.synthetic import Generator, write

    persons = size // 10
    left, right, truth = Generator(seed + size).link(reports=size, persons=persons,
                                                     known_share=KNOWN_SHARE)
    files = [write(left, VAR / f"cal{size}_reports.csv"),
             write(right, VAR / f"cal{size}_persons.csv")]
    reports, registered = records_read(files[0]), records_read(files[1])
    base = Engine(reports, registered, threads=2, memory=memory)
    base.train()
    unsure = sorted((p for p in base.pairs(0.01)), key=lambda p: abs(p.probability - 0.5))
    print(f"\nLearning from decisions at {size:,} × {persons:,} ({len(truth)} true pairs): "
          "the pairs nearest 0.5 decided first")
    print(f"{'decisions':>10}{'same':>6}{'threshold':>10}{'P':>7}{'R':>7}{'F1':>7}"
          f"{'queue F1':>9}  (P, R, F1: the retrained model's pairs at its operating point; "
          f"queue F1: with the decisions standing)")
    for count in (0, 50, 100, 200):
        decided = {(p.left_id, p.right_id): (p.left_id, p.right_id) in truth
                   for p in unsure[:count]}
        labels = [({name: level for name, level, _w in p.evidence}, decided[p.left_id, p.right_id])
                  for p in unsure[:count]]
        engine = Engine(reports, registered, threads=2, memory=memory)
        engine.train(labels=labels)
        point = engine.operating_point()
        found = {(p.left_id, p.right_id) for p in engine.pairs(point.threshold)}
        precision, recall, f1 = _f1(found, truth)
        # The queue as the coordinator has it: her decisions stand, the model proposes the rest.
        queue = {pair for pair in found if decided.get(pair, True)} | {
            pair for pair, same in decided.items() if same}
        print(f"{count:>10}{sum(s for _l, s in labels):>6}{point.threshold:>10.3f}"
              f"{precision:>7.3f}{recall:>7.3f}{f1:>7.3f}{_f1(queue, truth)[2]:>9.3f}",
              flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="*", type=int, default=[20_000, 100_000, 1_000_000])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--learn", type=int, default=100_000, help="0: no learning round")
    parser.add_argument("--memory", default="3GB")
    parser.add_argument("--engine", default="duckdb", choices=["duckdb", "spark"],
                        help="Amparo's engine on DuckDB or on a local Spark")
    args = parser.parse_args()
    os.environ.setdefault("AMPARO_DEMO", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "amparo.settings")
    import django

    django.setup()
    VAR.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "AMPARO_DEMO": "1", "DJANGO_SETTINGS_MODULE": "amparo.settings"}
    amparo = str(Path(sys.executable).parent / "amparo")
    print(f"seed {args.seed}, {args.engine}, memory limit {args.memory}, {os.cpu_count()} "
          f"cores; "
          f"ECE over pairs ≥ 0.01, 'chance' what a perfectly calibrated model would show on "
          f"as many pairs; 'expected': the true pairs the model expects in all; 'prior': its "
          f"prior over the true one")
    print(f"{'reports × persons':<22}{'model':<9}{'thresh':>7}{'pairs':>7}{'P':>7}{'R':>7}"
          f"{'F1':>7}{'ECE':>7}{'chance':>7}{'expected':>9}{'true':>7}{'prior':>7}{'seconds':>8}"
          f"{'peak MB':>8}")
    started = time.monotonic()
    for size in args.sizes:
        size_run(size, args.seed, args.memory, env, amparo, args.engine)
    if args.learn:
        learning(args.learn, args.seed, args.memory)
    print(f"\n{time.monotonic() - started:.0f} s in all")


if __name__ == "__main__":
    main()
