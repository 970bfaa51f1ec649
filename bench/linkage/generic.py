"""The generic Splink model the benchmark compares Amparo's engine with: what a careful analyst
would build from Splink's comparison library without knowing these names. Jaro-Winkler on each
name (lower case, trimmed), Splink's date-of-birth levels, an exact document, sex and
department; no variant table, no phonetic key, no swapped surnames, no age at a date. Trained
the standard way: u by random sampling, the prior from deterministic rules, m by expectation
maximisation on two blocking rules.

    python bench/linkage/generic.py match LEFT.csv RIGHT.csv OUT.csv THRESHOLD
    python bench/linkage/generic.py dedupe FILE.csv OUT.csv THRESHOLD
"""

from __future__ import annotations

import csv
import logging
import sys

import duckdb
import pyarrow as pa
import splink.comparison_library as cl
from splink import DuckDBAPI, Linker, SettingsCreator, block_on

NAMES = ("given_names", "paternal_surname", "maternal_surname")


def _table(path: str) -> pa.Table:
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    columns = {}
    for name in ("record_id", *NAMES, "sex", "birth_date", "document_number", "department"):
        values = [row[name].strip() for row in rows]
        if name in NAMES:
            values = [v.lower() for v in values]
        columns[name] = pa.array([v or None for v in values], pa.string())
    return pa.table(columns)


def model(link_type: str) -> SettingsCreator:
    return SettingsCreator(
        link_type=link_type,
        unique_id_column_name="record_id",
        comparisons=[
            cl.JaroWinklerAtThresholds("given_names", [0.92, 0.8]),
            cl.JaroWinklerAtThresholds("paternal_surname", [0.92, 0.8]),
            cl.JaroWinklerAtThresholds("maternal_surname", [0.92, 0.8]),
            cl.DateOfBirthComparison("birth_date", input_is_string=True),
            cl.ExactMatch("document_number"),
            cl.ExactMatch("sex"),
            cl.ExactMatch("department"),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("document_number"),
            block_on("birth_date"),
            block_on("paternal_surname", "given_names"),
            block_on("maternal_surname", "given_names"),
            block_on("paternal_surname", "maternal_surname"),
        ],
    )


def run(paths: list[str], out: str, threshold: float) -> int:
    logging.getLogger("splink").setLevel(logging.WARNING)
    con = duckdb.connect(":memory:")
    db = DuckDBAPI(con)
    inputs = []
    for n, path in enumerate(paths):
        con.register(f"t{n}_arrow", _table(path))
        con.execute(f"CREATE TABLE t{n} AS SELECT * FROM t{n}_arrow")
        inputs.append(db.register(f"t{n}", dataset_display_name=f"t{n}"))
    linker = Linker(inputs, model("link_only" if len(paths) == 2 else "dedupe_only"),
                    log_level=logging.WARNING)
    linker.training.estimate_u_using_random_sampling(max_pairs=2e6, seed=7)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("document_number"), block_on("given_names", "paternal_surname", "birth_date")],
        recall=0.65)
    for rule in (block_on("birth_date"), block_on("paternal_surname", "given_names")):
        linker.training.estimate_parameters_using_expectation_maximisation(
            rule, estimate_without_term_frequencies=True, max_pairs=2e6)
    frame = linker.inference.predict(threshold_match_probability=threshold,
                                     warning_mode="never")
    rows = con.execute(f"SELECT record_id_l, record_id_r, match_probability FROM "
                       f"{frame.physical_name}").fetchall()
    with open(out, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["left_id", "right_id", "match_probability"])
        writer.writerows(rows)
    return len(rows)


if __name__ == "__main__":
    kind, *rest = sys.argv[1:]
    if kind == "match":
        left, right, out, threshold = rest
        run([left, right], out, float(threshold))
    else:
        path, out, threshold = rest
        run([path], out, float(threshold))
