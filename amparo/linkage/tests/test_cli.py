"""`amparo linkage match-files` and `dedupe-file`: pairs out, and bad input stopped with the
file, row and column named; the engine's incremental prediction scores only the new records."""

import csv

import pytest
from django.core.management import CommandError, call_command

from amparo.linkage.engine import Engine
from amparo.linkage.records import COLUMNS, BadInput, record_from, records_read

PEOPLE = [
    ["p1", "María Isabel", "Huamán", "Quispe", "F", "2005-03-04", "", "DNI", "45871236", "15", ""],
    ["p2", "Rosa", "Mamani", "Condori", "F", "2001-07-09", "", "", "", "21", ""],
    ["p3", "Lucía", "Flores", "Rojas", "F", "1999-01-01", "", "", "", "08", ""],
]
REPORTS = [
    ["r1", "MARIBEL", "QUISPE", "GUAMAN", "F", "2005-04-03", "", "", "", "15", "2021-05-01"],
    ["r2", "Ana", "Ttito", "Puma", "F", "", "16", "", "", "08", "2022-02-01"],
]


def _write(path, rows, header=COLUMNS):
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def _pairs(path):
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_match_files_writes_the_pairs_above_the_threshold(tmp_path):
    left = _write(tmp_path / "reports.csv", REPORTS)
    right = _write(tmp_path / "people.csv", PEOPLE)
    out = tmp_path / "pairs.csv"
    call_command("linkage", "match-files", str(left), str(right), "--out", str(out))
    pairs = _pairs(out)
    assert [(p["left_id"], p["right_id"]) for p in pairs] == [("r1", "p1")]
    assert 0.5 <= float(pairs[0]["match_probability"]) <= 1
    call_command("linkage", "match-files", str(left), str(right), "--out", str(out),
                 "--threshold", "0")
    assert len(_pairs(out)) >= 1


def test_dedupe_file_finds_the_same_woman_registered_twice(tmp_path):
    rows = PEOPLE + [["p9", "Rosa", "Mamani", "C.", "F", "2001-09-07", "", "", "", "21", ""]]
    out = tmp_path / "pairs.csv"
    call_command("linkage", "dedupe-file", str(_write(tmp_path / "p.csv", rows)), "--out",
                 str(out))
    assert {(p["left_id"], p["right_id"]) for p in _pairs(out)} == {("p2", "p9")}


@pytest.mark.parametrize("row, column, words", [
    (["x1", "Ana", "", "", "F", "2005-02-30", "", "", "", "", ""], "birth_date", "real date"),
    (["x1", "Ana", "", "", "F", "05/02/2005", "", "", "", "", ""], "birth_date", "YYYY-MM-DD"),
    (["x1", "Ana", "", "", "F", "", "quince", "", "", "", ""], "age", "whole years"),
    (["x1", "Ana", "", "", "W", "", "", "", "", "", ""], "sex", "F, M"),
    (["x1", "Ana", "", "", "F", "", "", "", "", "31", ""], "department", "01 to 25"),
    (["", "Ana", "", "", "F", "", "", "", "", "", ""], "record_id", "id"),
    (["x1", "Ana", "", "", "F", "2010-01-01", "", "", "", "", "2009-01-01"], "birth_date",
     "after the event date"),
])
def test_bad_input_names_file_row_and_column(tmp_path, settings, row, column, words):
    settings.LANGUAGE_CODE = "en"
    path = _write(tmp_path / "in.csv", [PEOPLE[0], row])
    with pytest.raises(CommandError) as stopped:
        call_command("linkage", "dedupe-file", str(path), "--out", str(tmp_path / "o.csv"))
    message = str(stopped.value)
    assert str(path) in message and "3" in message and column in message


def test_missing_columns_and_repeated_ids_stop_before_matching(tmp_path):
    path = _write(tmp_path / "in.csv", [["p1", "Ana"]], header=["record_id", "given_names"])
    with pytest.raises(BadInput) as stopped:
        records_read(path)
    assert stopped.value.row == 1 and "paternal_surname" in stopped.value.column
    path = _write(tmp_path / "twice.csv", [PEOPLE[0], PEOPLE[0]])
    with pytest.raises(BadInput) as stopped:
        records_read(path)
    assert (stopped.value.row, stopped.value.column) == (3, "record_id")
    with pytest.raises(CommandError):
        call_command("linkage", "dedupe-file", str(path), "--out", str(tmp_path / "o.csv"),
                     "--threshold", "2")


def _record(values):
    return record_from(dict(zip(COLUMNS, values)))


def test_incremental_matching_scores_only_the_new_records_against_the_existing():
    engine = Engine([_record(v) for v in PEOPLE])
    engine.train()
    pairs = list(engine.pairs_new([_record(v) for v in REPORTS], threshold=0.5))
    assert [(p.left_id, p.right_id) for p in pairs] == [("p1", "r1")]
    weights = {name: level for name, level, _w in pairs[0].evidence}
    assert weights["given"] == "variant" and weights["surnames"] == "swapped"
    assert weights["birth"] == "typo"  # day and month swapped


def test_an_age_at_a_known_date_is_evidence_for_a_birth_date():
    engine = Engine([_record(PEOPLE[1])], [_record(
        ["r5", "Rosa", "Mamani", "Condori", "F", "", "19", "", "", "21", "2020-10-01"])])
    (pair,) = engine.pairs(0.0)
    levels = {name: level for name, level, _w in pair.evidence}
    assert levels["birth"] == "age_exact"  # 19 on 2020-10-01 for a birth on 2001-07-09
