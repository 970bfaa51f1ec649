"""Record linkage on Spark (AMPARO_LINKAGE_ENGINE=spark, issue 23): the same comparisons,
translated to Spark SQL, give the same pairs as DuckDB with the same model, for a full scoring
and for new records scored incrementally; a model kept by either engine loads on the other.
A local Spark (pyspark and Java 17, both on CI) on a small synthetic file; training on Spark is
measured by bench/linkage/calibration.py --engine spark, not here (a minute and a half)."""

from __future__ import annotations

import shutil

import pytest

from amparo.linkage.comparisons import COMPARISONS, spark_sql
from amparo.linkage.engine import POSSIBLE, Engine
from amparo.linkage.records import record_from
from amparo.linkage.synthetic import Generator

pytest.importorskip("pyspark")
pytestmark = pytest.mark.skipif(shutil.which("java") is None, reason="Spark needs Java 17")


def _records(rows):
    return [record_from({k: "" if v is None else str(v) for k, v in row.items()}) for row in rows]


@pytest.fixture(scope="module")
def drawn():
    left, right, _truth = Generator(5).link(reports=3_000, persons=2_000, known_share=0.2)
    reports, persons = _records(left), _records(right)
    trained = Engine(reports[100:], persons, threads=2)
    trained.train()
    return reports, persons, trained


def test_the_conditions_read_as_spark_sql():
    for comparison in COMPARISONS:
        for level in comparison.levels:
            translated = spark_sql(level.sql)
            assert '"' not in translated and "list_has_any" not in translated
            assert "str_split" not in translated and "date_diff(" not in translated


def test_spark_scores_the_same_pairs_as_duckdb_with_the_same_model(drawn):
    reports, persons, trained = drawn
    model = trained.model()
    assert "`" not in str(model)  # kept for DuckDB, whichever engine loads it next
    duck = {(p.left_id, p.right_id): p for p in
            Engine(reports[100:], persons, model=model, threads=2).pairs(POSSIBLE)}
    spark = Engine(reports[100:], persons, model=model, threads=2, backend="spark")
    found = {(p.left_id, p.right_id): p for p in spark.pairs(POSSIBLE)}
    assert found.keys() == duck.keys() and len(found) > 300
    for key, pair in found.items():
        assert pair.probability == pytest.approx(duck[key].probability, abs=1e-9)
        assert [level for _n, level, _w in pair.evidence] == [
            level for _n, level, _w in duck[key].evidence]
    point = spark.operating_point()
    assert POSSIBLE <= point.threshold <= 1 and point.pairs > 0
    # New reports, scored incrementally against the persons with the kept model
    single = {**model, "link_type": "dedupe_only"}
    on_duck = {(p.left_id, p.right_id) for p in
               Engine(persons, model=single, threads=2).pairs_new(reports[:100])}
    on_spark = {(p.left_id, p.right_id) for p in Engine(
        persons, model=single, threads=2, backend="spark").pairs_new(reports[:100])}
    assert on_spark == on_duck and on_duck


def test_an_unknown_engine_is_refused():
    with pytest.raises(ValueError, match="duckdb or spark"):
        Engine(_records([]), backend="oracle")
