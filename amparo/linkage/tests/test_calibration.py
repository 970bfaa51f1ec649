"""Probabilities that mean the same at any size (issue 24): the prior fitted from the data, m
learnt on pairs that stay true as the files grow, the threshold drawn at a target precision, m
taught by reviewers' decisions, DuckDB kept within its memory limit. Drawn from the synthetic
generator (amparo/linkage/synthetic.py) with known truth: the same 5,000 registered persons
against 10,000 and ten times as many reports, with the same true pairs."""

from __future__ import annotations

import math

import pytest
from django.core.management import CommandError, call_command

from amparo.linkage import splink_adapter as splink
from amparo.linkage.engine import Engine, prior_fixed_point
from amparo.linkage.records import record_from
from amparo.linkage.synthetic import Generator, write


def _records(rows):
    return [record_from({k: "" if v is None else str(v) for k, v in row.items()}) for row in rows]


def _trained(reports: int, **train):
    left, right, truth = Generator(3).link(reports=reports, persons=5_000, known_share=0.15)
    engine = Engine(_records(left), _records(right), threads=2)
    engine.train(**train)
    return engine, truth


@pytest.fixture(scope="module")
def sizes():
    return {size: _trained(size) for size in (10_000, 100_000)}


def _top_m(engine) -> dict[str, float]:
    return {c.output_column_name: splink.levels(c)[0].m_probability
            for c in splink.comparisons(engine.linker)}


def _prior(engine) -> float:
    return splink.prior(engine.linker)


def test_the_fixed_point_finds_the_share_that_made_the_pairs():
    """3,000 true pairs among 10⁹ comparisons, each with a strong Bayes factor, and a crowd of
    weak pairs: the fitted share is the one that made them."""
    comparisons, true_pairs = 10**9, 3_000
    factors = [(2.0**30, 2_800), (2.0**22, 200), (2.0**5, 400_000), (1.0, 2_000_000)]
    fitted = prior_fixed_point(factors, comparisons)
    assert fitted == pytest.approx(true_pairs / comparisons, rel=0.02)
    assert prior_fixed_point([(1.0, 10)], comparisons) is None  # no evidence of any pair


def test_the_prior_and_the_parameters_agree_on_a_file_ten_times_larger(sizes):
    """The same true pairs among ten times the comparisons: the prior falls tenfold, the true
    pairs the model expects stay the true count, and m stays where it was."""
    (small, small_truth), (large, large_truth) = sizes[10_000], sizes[100_000]
    for engine, truth in ((small, small_truth), (large, large_truth)):
        expected = _prior(engine) * engine.comparisons_count()
        assert expected == pytest.approx(len(truth), rel=0.15)
    ratio = (_prior(small) / len(small_truth)) / (_prior(large) / len(large_truth))
    assert ratio == pytest.approx(10, rel=0.2)
    small_m, large_m = _top_m(small), _top_m(large)
    for name in small_m:
        assert abs(small_m[name] - large_m[name]) < 0.1, name
        assert small_m[name] > 0.1  # agreeing stayed evidence (EM did not learn namesakes)


def test_the_derived_threshold_meets_its_precision_on_the_truth(sizes):
    for engine, truth in sizes.values():
        point = engine.operating_point(0.95)
        found = {(p.left_id, p.right_id) for p in engine.pairs(point.threshold)}
        precision = len(found & truth) / len(found)
        assert precision >= 0.92, (point, precision)
        assert point.pairs == len(found)
        # what the page says: the expected true pairs among them, close to those that are
        assert point.expected == pytest.approx(len(found & truth), rel=0.1)
    strict = sizes[100_000][0].operating_point(0.99)
    assert strict.threshold >= sizes[100_000][0].operating_point(0.95).threshold


def test_reviewers_decisions_move_the_model_the_expected_way(sizes):
    """Reviewers accepted pairs whose given names were the same and rejected every pair whose
    given names were only close in spelling: "close" loses weight, "exact" gains; below
    LABELS_MIN decisions nothing changes."""
    same = [({"given": "exact", "surnames": "both", "birth": "age_exact"}, True)] * 60
    rejected = [({"given": "close", "surnames": "one", "birth": "years"}, False)] * 40
    base, _truth = sizes[10_000]
    taught, _ = _trained(10_000, labels=same + rejected)

    def level(engine, comparison, key):
        found = next(c for c in splink.comparisons(engine.linker)
                     if c.output_column_name == comparison)
        lv = next(lv for lv in found.comparison_levels if lv.label_for_charts == key)
        return math.log2(lv.m_probability / lv.u_probability)

    assert taught.learned == 60
    assert level(taught, "given", "close") < level(base, "given", "close") - 0.5
    assert level(taught, "given", "exact") > level(base, "given", "exact")
    close = level(base, "given", "close")
    assert base._learn(same[:5]) == 0 and level(base, "given", "close") == close


def test_the_memory_limit_is_set_and_the_pairs_are_the_same_within_it(sizes, tmp_path):
    left, right, _truth = Generator(5).link(reports=2_000, persons=1_000, known_share=0.2)
    free = Engine(_records(left), _records(right), threads=2, memory="")
    tight = Engine(_records(left), _records(right), threads=2, memory="64MB")
    limit = tight.con.cursor().execute("SELECT current_setting('memory_limit')").fetchall()[0][0]
    assert limit.replace(" ", "").upper() in {"64.0MB", "61.0MIB", "64MB", "61MIB"}
    free.train()
    tight.train()
    assert ({(p.left_id, p.right_id) for p in tight.pairs(0.2)}
            == {(p.left_id, p.right_id) for p in free.pairs(0.2)})
    with pytest.raises(ValueError):
        Engine(_records(left[:5]), memory="lots")
    files = [write(left, tmp_path / "l.csv"), write(right, tmp_path / "r.csv")]
    with pytest.raises(CommandError, match="3GB o 512MB"):
        call_command("linkage", "match-files", *map(str, files), "--out",
                     str(tmp_path / "o.csv"), "--memory", "mucha")
