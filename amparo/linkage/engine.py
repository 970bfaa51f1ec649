"""The matching engine (issue 6): Splink 5 on an in-memory DuckDB, comparing the columns of
`features.py`.

The comparisons and blocking rules it applies are in `comparisons.py`.

The model is trained on the data at hand: `u` (how often two different women agree by chance)
by random sampling, `m` (how often the same woman agrees at each level) by expectation
maximisation on pairs that are almost all true whatever the files' size, and the share of true
pairs (the prior) as the value at which the probabilities the model gives add up to that share
of every comparison: the number of true pairs it expects is the number it finds. Nothing is
tuned to one data set, so a probability means the same for a month's alerts and for a national
register; `operating_point` then picks the threshold at which the pairs are as precise as a
reviewer needs. A trained model is kept as JSON so incremental matching reuses it
(docs/decisions.md says why each choice)."""

from __future__ import annotations

import copy
import logging
import math
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.conf import settings as django_settings

from amparo.linkage import splink_adapter as splink
from amparo.linkage.backends import _DuckDB, _Spark, table
from amparo.linkage.comparisons import (
    EM_MIN_MATCHES,
    EM_PAIRS,
    LABEL_WEIGHT,
    LABELS_MIN,
    M_FLOOR,
    PEOPLE,
    POSSIBLE,
    PRECISION,
    PRIOR_MAX,
    PROBABLE,
    U_FLOOR,
    U_PAIRS,
    Comparison,
    Spec,
    settings,
    spark_sql,
)
from amparo.linkage.prior import prior_fixed_point
from amparo.linkage.records import Record

FIT_FLOOR = 1e-4  # pairs scored below this (with the rules' prior) count as none when fitting


@dataclass(frozen=True)
class OperatingPoint:
    """Where to draw the line for a reviewer: the lowest probability at which the pairs above
    it are, by the model's own estimate, at least `precision` true; `expected` true pairs among
    `pairs`, out of `total` true pairs the model expects in all."""

    precision: float
    threshold: float
    pairs: int
    expected: float
    total: float

    def as_dict(self) -> dict:
        return {"precision": self.precision, "threshold": self.threshold, "pairs": self.pairs,
                "expected": round(self.expected, 1), "total": round(self.total, 1)}


@dataclass(frozen=True)
class Pair:
    left_id: str
    right_id: str
    probability: float
    weight: float  # the final match weight (log2 of the Bayes factor, prior included)
    evidence: tuple[tuple[str, str, float], ...]  # (comparison, level, weight) in order


class Engine:
    """One matching job: `Engine(left, right)` links two sets, `Engine(left)` deduplicates one.
    `train()` measures the model on the data; `pairs(threshold)` scores the candidates. `spec`
    says what is compared (survivors and alerts by default)."""

    def __init__(self, left: Iterable[Record], right: Iterable[Record] | None = None, *,
                 model: dict | None = None, threads: int | None = None, spec: Spec = PEOPLE,
                 memory: str | None = None, backend: str | None = None):
        from splink import Linker

        logging.getLogger("splink").setLevel(logging.ERROR)  # its advice is for analysts
        # Within a memory limit, spilling what does not fit to disk (a national file on a
        # small server); the worker's own share of the machine is set in the settings.
        memory = memory if memory is not None else getattr(
            django_settings, "AMPARO_LINKAGE_MEMORY", "")
        backend = backend or getattr(django_settings, "AMPARO_LINKAGE_ENGINE", "duckdb")
        if backend == "spark":
            self.sql = _Spark(threads, memory)
        elif backend == "duckdb":
            self.sql = _DuckDB(threads, memory)
            self.con = self.sql.con
        else:
            raise ValueError(f"AMPARO_LINKAGE_ENGINE is duckdb or spark, not {backend!r}.")
        self.backend = backend
        self.db = self.sql.api
        self.linking = right is not None
        self.spec = spec
        self.comparisons = spec.comparisons
        self.sizes = []
        self.batches = 0  # sets of new records scored so far (pairs_new)
        inputs = []
        for name, records in (("left", left), ("right", right)):
            if records is None:
                continue
            data = table(records, spec)
            self.sizes.append(data.num_rows)
            inputs.append(self.sql.load(f"{name}_records", data, name))
        link_type = "link_only" if self.linking else "dedupe_only"
        written = (self._conditions(model, backend) if model else
                   settings(link_type, spec=spec, dialect=backend,
                            frequencies=sum(self.sizes) >= spec.train_min))
        self.linker = Linker(inputs, written, log_level=logging.ERROR)
        self.trained = model is not None
        self._scored = None  # (the pairs scored while fitting the prior, the prior they had)
        self.learned = 0  # reviewers' "same" decisions that taught m

    def train(self, *, seed: int = 7, labels: Iterable[tuple[dict, bool]] = ()) -> None:
        """u from random pairs of this data, m by expectation maximisation (kept only where it
        had true pairs to learn from and learnt that agreeing is evidence), then from the
        reviewers' decisions (`labels`: each pair's level per comparison, and whether it was
        the same woman; see `_learn`), the prior first from near-certain rules, then fitted to
        the scored pairs (`_prior_fit`). Small data keeps the written m and u: a few hundred
        records would give noise."""
        training = self.linker.training
        if sum(self.sizes) >= self.spec.train_min:
            training.estimate_u_using_random_sampling(max_pairs=U_PAIRS, seed=seed)
        prior = splink.prior(self.linker)
        if sum(self.sizes) >= self.spec.train_min:
            for rule in self.spec.em_rules:
                self._em(rule)
            self._floors()
        self.learned = self._learn(labels)
        try:
            if self.spec.deterministic:
                training.estimate_probability_two_random_records_match(
                    list(self.spec.deterministic), recall=self.spec.recall)
        except Exception:
            logging.getLogger(__name__).info("no near-certain pairs; prior kept")
        found = splink.prior(self.linker)
        # None found says little (the prior stays); a tiny set cannot say more than 1 in 10.
        splink.prior_set(self.linker, prior if not 0 < found < 1 else min(found, PRIOR_MAX))
        self._prior_fit()
        self.trained = True

    def _learn(self, labels: Iterable[tuple[dict, bool]]) -> int:
        """m from the pairs reviewers decided were the same woman: at each comparison, the share
        of them at each level, blended with the unlabelled estimate as if it were LABEL_WEIGHT
        pairs. A level that reviewers found on pairs they rejected (a close spelling that was
        another woman) is rare among those they accepted: its m, and so its weight, falls.
        Below LABELS_MIN such pairs, nothing changes. Returns how many taught it."""
        same = [levels for levels, is_same in labels if is_same]
        if len(same) < LABELS_MIN:
            return 0
        for comparison in splink.comparisons(self.linker):
            key = comparison.output_column_name
            seen = Counter(levels.get(key) for levels in same)
            seen.pop(None, None)
            seen.pop("null", None)
            total = sum(seen.values())
            if not total:
                continue
            for level in splink.levels(comparison):
                before = level.m_probability or 0
                level.m_probability = ((LABEL_WEIGHT * before + seen[level.label_for_charts])
                                       / (LABEL_WEIGHT + total))
        self._floors()
        return len(same)

    def comparisons_count(self) -> int:
        """Every pair the job could compare: each left with each right, or each pair once."""
        if self.linking:
            return self.sizes[0] * self.sizes[1]
        return self.sizes[0] * (self.sizes[0] - 1) // 2

    def _prior_fit(self) -> None:
        """The share of true pairs among all comparisons, from the data: the value λ at which
        the probabilities of the scored pairs, computed with λ, add up to λ times the number of
        comparisons (expectation maximisation of λ alone, m and u held). Near-certain rules
        miss the true pairs with neither a document nor a birth date (most alerts say an age),
        and what they miss grows with the files; the fitted share does not depend on them.
        The pairs are scored once, and kept for `pairs`."""
        start = splink.prior(self.linker)
        frame = self.linker.inference.predict(threshold_match_probability=FIT_FLOOR,
                                              warning_mode="never")
        start_weight = math.log2(start / (1 - start))
        bins = list(self.sql.rows(
            f"SELECT round(match_weight - {start_weight}, 2) AS w, count(*) "
            f"FROM {frame.physical_name} GROUP BY round(match_weight - {start_weight}, 2)"))
        self._scored = (frame, start)
        fitted = prior_fixed_point([(2.0 ** w, n) for w, n in bins], self.comparisons_count())
        if fitted is not None:
            splink.prior_set(self.linker, min(fitted, PRIOR_MAX))

    def _em(self, rule: str) -> None:
        """Expectation maximisation on the pairs of one rule, kept only when those pairs hold
        enough true matches to learn from. A register with few duplicates (or alerts without
        birth dates) would otherwise teach it what namesakes and sisters look like, and call
        that a match; then the priors stand."""
        before = splink.snapshot(self.linker)
        try:
            session = self.linker.training.estimate_parameters_using_expectation_maximisation(
                rule, estimate_without_term_frequencies=True, max_pairs=EM_PAIRS)
        except splink.SplinkException:  # no pairs at all under this rule
            splink.restore(self.linker, before)
            return
        share = session.core_model_settings.probability_two_random_records_match
        if share * min(self._count(rule), EM_PAIRS) < EM_MIN_MATCHES or not self._sensible():
            splink.restore(self.linker, before)
            splink.em_session_drop(self.linker, session)
            logging.getLogger(__name__).info("EM on %s: too few matches or agreement learnt "
                                             "as no evidence, priors kept", rule)

    def _sensible(self) -> bool:
        """Each comparison's strongest agreement is evidence for the same woman and its
        disagreement against her: EM that learnt otherwise found another kind of pair (women
        born the same day, sisters) and called it a match."""
        for comparison in splink.comparisons(self.linker):
            levels = splink.levels(comparison)
            top, bottom = levels[0], levels[-1]
            if not (top.m_probability or 0) > (top.u_probability or 1):
                return False
            if not (bottom.m_probability or 0) < (bottom.u_probability or 0):
                return False
        return True

    def _count(self, rule: str) -> int:
        if self.linking:
            sql = f"SELECT count(*) FROM left_records l JOIN right_records r ON {rule}"
        else:
            sql = (f"SELECT count(*) FROM left_records l JOIN left_records r ON {rule} "
                   "AND l.record_id < r.record_id")
        return next(iter(self.sql.rows(sql)))[0]

    def _floors(self) -> None:
        """No level may be certain: a level the sample never saw (u = 0) or a kind of error
        the data never showed (m = 0) would otherwise decide a pair alone."""
        priors = {(c.key, lv.key): lv for c in self.comparisons for lv in c.levels}
        for comparison in splink.comparisons(self.linker):
            for level in splink.levels(comparison):
                prior = priors[(comparison.output_column_name, level.label_for_charts)]
                level.u_probability = max(level.u_probability or 0, prior.u / 10, U_FLOOR)
                level.m_probability = max(level.m_probability or 0, M_FLOOR)

    def model(self) -> dict:
        """The trained model, its conditions written for DuckDB whichever engine trained it:
        a model kept by a run on Spark loads on DuckDB, and the reverse."""
        return self._conditions(self.linker.misc.save_model_to_json(), "duckdb")

    def _conditions(self, model: dict, dialect: str) -> dict:
        """The model with each level's condition as this spec writes it for `dialect` (the
        spec is the one source of the conditions; a model carries parameters)."""
        model = copy.deepcopy(model)
        written = {(c.key, lv.key): lv.sql for c in self.comparisons for lv in c.levels}
        for comparison in model.get("comparisons", []):
            for level in comparison.get("comparison_levels", []):
                sql = written.get((comparison.get("output_column_name"),
                                   level.get("label_for_charts")))
                if sql is not None:
                    level["sql_condition"] = spark_sql(sql) if dialect == "spark" else sql
        return model

    def _rows(self, frame, threshold: float, scored_with: float | None = None
              ) -> Iterator[Pair]:
        """The frame's pairs at or above the threshold. `scored_with`: the prior the frame was
        scored with, when the model's has changed since (each weight moves by the difference)."""
        names = [c.key for c in self.comparisons]
        levels = {c.key: _gammas(c) for c in self.comparisons}
        prior = splink.prior(self.linker)
        prior_weight = math.log2(prior / (1 - prior))
        shift = 0.0
        if scored_with is not None:
            shift = prior_weight - math.log2(scored_with / (1 - scored_with))
        available = self.sql.columns(frame.physical_name)
        columns = ["record_id_l", "record_id_r", f"match_weight + {shift!r} AS w",
                   f"1 / (1 + pow(2, -(match_weight + {shift!r}))) AS p"]
        for name in names:
            columns += [f"gamma_{name}", f"mw_{name}"]
            if f"mw_tf_adj_{name}" in available:
                columns.append(f"mw_tf_adj_{name}")
        keys = [c.split(" AS ")[-1] for c in columns]
        result = self.sql.rows(
            f"SELECT * FROM (SELECT {', '.join(columns)} FROM {frame.physical_name}) AS scored "
            f"WHERE p >= {float(threshold)} ORDER BY p DESC")
        for row in result:
            values = dict(zip(keys, row))
            evidence = [("prior", "prior", prior_weight)]
            for name in names:
                weight = values[f"mw_{name}"] + (values.get(f"mw_tf_adj_{name}") or 0.0)
                level = levels[name].get(values[f"gamma_{name}"], "null")
                evidence.append((name, level, weight))
            yield Pair(str(values["record_id_l"]), str(values["record_id_r"]),
                       float(values["p"]), float(values["w"]), tuple(evidence))

    def pairs(self, threshold: float = PROBABLE) -> Iterator[Pair]:
        """Every candidate pair at or above the threshold, the most probable first; for linking,
        left_id is always from the first set."""
        if not self.trained:
            self.train()
        if self._scored is not None and threshold >= self._kept_above():
            frame, scored_with = self._scored
            yield from self._rows(frame, threshold, scored_with)
            return
        frame = self.linker.inference.predict(
            threshold_match_probability=threshold, warning_mode="never")
        yield from self._rows(frame, threshold)

    def _kept_above(self) -> float:
        """The lowest probability, with the fitted prior, that the pairs kept while fitting
        it are sure to hold."""
        _frame, scored_with = self._scored
        prior = splink.prior(self.linker)
        return min(1.0, 2 * FIT_FLOOR * max(1.0, prior / scored_with))

    def operating_point(self, precision: float = PRECISION) -> OperatingPoint:
        """The lowest probability at which the pairs at or above it are, by the model's own
        probabilities, `precision` true on average (their mean probability). Needs calibrated
        probabilities, which is what `train` fits; POSSIBLE at the lowest, PROBABLE at most
        where the model is so unsure that no threshold reaches the precision."""
        if not self.trained:
            self.train()
        if self._scored is None:  # a loaded model: its pairs are scored now
            frame = self.linker.inference.predict(threshold_match_probability=FIT_FLOOR,
                                                  warning_mode="never")
            self._scored = (frame, splink.prior(self.linker))
        frame, scored_with = self._scored
        prior = splink.prior(self.linker)
        shift = math.log2(prior / (1 - prior)) - math.log2(scored_with / (1 - scored_with))
        rows = list(self.sql.rows(
            f"SELECT p, sum(p) OVER w, count(*) OVER w FROM ("
            f"SELECT 1 / (1 + pow(2, -(match_weight + {shift!r}))) AS p "
            f"FROM {frame.physical_name}) AS scored WINDOW w AS (ORDER BY p DESC "
            f"ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) ORDER BY p DESC"))
        total = sum(p for p, _s, _n in rows)
        chosen = None
        for p, expected, count in rows:
            if expected / count < precision:
                break
            chosen = (p, expected, count)
        if chosen is None or chosen[0] > PROBABLE:
            threshold = PROBABLE if chosen is None else chosen[0]
        else:
            threshold = max(chosen[0], POSSIBLE)
        kept = [(p, e, n) for p, e, n in rows if p >= threshold]
        expected, count = (kept[-1][1], kept[-1][2]) if kept else (0.0, 0)
        # Rounded down, so that the pair the line was drawn at stays above it.
        return OperatingPoint(precision, math.floor(threshold * 10_000) / 10_000, int(count),
                              float(expected), float(total))

    def pairs_new(self, new: Iterable[Record], threshold: float = POSSIBLE) -> Iterator[Pair]:
        """Incremental matching: the new records scored against every existing one (and each
        other, when deduplicating), with the trained model and the existing data's term
        frequencies; nothing existing is compared again."""
        if not self.trained:
            self.train()
        self.batches += 1
        name = f"new_records_{self.batches}"
        new_frame = self.sql.load(name, table(new, self.spec), name)
        for column in self._tf_columns():
            self.linker.table_management.compute_tf_table(column)
        existing = list(self.linker._input_tables_dict.values())
        target = existing[-1] if self.linking else existing[0]
        frame = self.linker.inference.predict_between(
            target, new_frame, link_type="dedupe_only",
            threshold_match_probability=threshold, warning_mode="never")
        yield from self._rows(frame, threshold)

    def _tf_columns(self) -> list[str]:
        return sorted({lv.tf for c in self.comparisons for lv in c.levels if lv.tf})






def _gammas(comparison: Comparison) -> dict[int, str]:
    """Splink's level numbers: -1 for the null level, then from the top level down to 0."""
    ladder = [lv.key for lv in comparison.levels if not lv.null]
    return {-1: "null", **{len(ladder) - 1 - i: key for i, key in enumerate(ladder)}}
