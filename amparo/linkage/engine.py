"""The matching engine (issue 6): Splink 5 on an in-memory DuckDB, comparing the columns of
`features.py`.

The comparisons and blocking rules it applies are in `comparisons.py`.

The model is trained on the data at hand: `u` (how often two different women agree by chance)
by random sampling, `m` (how often the same woman agrees at each level) by expectation
maximisation from the written priors below, the share of true pairs from near-certain rules.
Nothing is tuned to one data set. A trained model is kept as JSON so incremental matching
reuses it (docs/decisions.md says why each choice)."""

from __future__ import annotations

import copy
import logging
import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import duckdb
import pyarrow as pa
from splink.internals.exceptions import SplinkException

from amparo.linkage.comparisons import (
    EM_MIN_MATCHES,
    EM_PAIRS,
    M_FLOOR,
    PEOPLE,
    POSSIBLE,
    PRIOR_MAX,
    PROBABLE,
    U_FLOOR,
    Comparison,
    Spec,
    settings,
)
from amparo.linkage.records import Record


def table(records: Iterable[Record], spec: Spec = PEOPLE) -> pa.Table:
    """The records as an Arrow table of the spec's feature columns, empty text as NULL."""
    ids, columns = [], {name: [] for name in spec.columns}
    for record in records:
        ids.append(record.record_id)
        for name in spec.columns:
            value = getattr(record.features, name)
            columns[name].append(value if value not in ("", None) else None)
    arrays = {"record_id": pa.array(ids, pa.string())}
    for name in spec.columns:
        kind = pa.int32() if name in spec.int_columns else pa.string()
        arrays[name] = pa.array(columns[name], kind)
    return pa.table(arrays)


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
                 model: dict | None = None, threads: int | None = None, spec: Spec = PEOPLE):
        from splink import DuckDBAPI, Linker

        logging.getLogger("splink").setLevel(logging.ERROR)  # its advice is for analysts
        self.con = duckdb.connect(":memory:")
        if threads:
            self.con.execute(f"SET threads = {int(threads)}")
        self.con.execute("SET preserve_insertion_order = false")
        self.db = DuckDBAPI(self.con)
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
            self.con.register(f"{name}_arrow", data)
            self.con.execute(f"CREATE TABLE {name}_records AS SELECT * FROM {name}_arrow")
            self.con.unregister(f"{name}_arrow")
            inputs.append(self.db.register(f"{name}_records", dataset_display_name=name))
        link_type = "link_only" if self.linking else "dedupe_only"
        written = model or settings(link_type, spec=spec,
                                    frequencies=sum(self.sizes) >= spec.train_min)
        self.linker = Linker(inputs, written, log_level=logging.ERROR)
        self.trained = model is not None

    def train(self, *, seed: int = 7) -> None:
        """u from random pairs of this data, m by expectation maximisation (kept only where it
        had true pairs to learn from), the prior from near-certain rules. Small data keeps the
        written priors: a few hundred records would give noise."""
        training = self.linker.training
        if sum(self.sizes) >= self.spec.train_min:
            training.estimate_u_using_random_sampling(max_pairs=2e6, seed=seed)
        model = self.linker._settings_obj
        prior = model._probability_two_random_records_match
        if sum(self.sizes) >= self.spec.train_min:
            for rule in self.spec.em_rules:
                self._em(rule)
            self._floors()
        try:
            if self.spec.deterministic:
                training.estimate_probability_two_random_records_match(
                    list(self.spec.deterministic), recall=self.spec.recall)
        except Exception:
            logging.getLogger(__name__).info("no near-certain pairs; prior kept")
        found = model._probability_two_random_records_match
        # None found says little (the prior stays); a tiny set cannot say more than 1 in 10.
        model._probability_two_random_records_match = (
            prior if not 0 < found < 1 else min(found, PRIOR_MAX))
        self.trained = True

    def _em(self, rule: str) -> None:
        """Expectation maximisation on the pairs of one rule, kept only when those pairs hold
        enough true matches to learn from. A register with few duplicates (or alerts without
        birth dates) would otherwise teach it what namesakes and sisters look like, and call
        that a match; then the priors stand."""
        model = self.linker._settings_obj
        before = copy.deepcopy(model.core_model_settings)
        try:
            session = self.linker.training.estimate_parameters_using_expectation_maximisation(
                rule, estimate_without_term_frequencies=True, max_pairs=EM_PAIRS)
        except SplinkException:  # no pairs at all under this rule
            model.core_model_settings = before
            return
        share = session.core_model_settings.probability_two_random_records_match
        if share * min(self._count(rule), EM_PAIRS) < EM_MIN_MATCHES:
            model.core_model_settings = before
            self.linker._em_training_sessions.remove(session)
            logging.getLogger(__name__).info("EM on %s: too few matches, priors kept", rule)

    def _count(self, rule: str) -> int:
        if self.linking:
            sql = f"SELECT count(*) FROM left_records l JOIN right_records r ON {rule}"
        else:
            sql = (f"SELECT count(*) FROM left_records l JOIN left_records r ON {rule} "
                   "AND l.record_id < r.record_id")
        return self.con.cursor().execute(sql).fetchall()[0][0]

    def _floors(self) -> None:
        """No level may be certain: a level the sample never saw (u = 0) or a kind of error
        the data never showed (m = 0) would otherwise decide a pair alone."""
        priors = {(c.key, lv.key): lv for c in self.comparisons for lv in c.levels}
        for comparison in self.linker._settings_obj.comparisons:
            for level in comparison.comparison_levels:
                if level.is_null_level:
                    continue
                prior = priors[(comparison.output_column_name, level.label_for_charts)]
                level.u_probability = max(level.u_probability or 0, prior.u / 10, U_FLOOR)
                level.m_probability = max(level.m_probability or 0, M_FLOOR)

    def model(self) -> dict:
        return self.linker.misc.save_model_to_json()

    def _rows(self, frame, threshold: float) -> Iterator[Pair]:
        names = [c.key for c in self.comparisons]
        levels = {c.key: _gammas(c) for c in self.comparisons}
        prior = self.linker._settings_obj._probability_two_random_records_match
        prior_weight = math.log2(prior / (1 - prior))
        available = {column[0] for column in self.con.cursor().execute(
            f"SELECT * FROM {frame.physical_name} LIMIT 0").description}
        columns = ["record_id_l", "record_id_r", "match_probability", "match_weight"]
        for name in names:
            columns += [f"gamma_{name}", f"mw_{name}"]
            if f"mw_tf_adj_{name}" in available:
                columns.append(f"mw_tf_adj_{name}")
        result = self.con.cursor().execute(
            f"SELECT {', '.join(columns)} FROM {frame.physical_name} "
            f"WHERE match_probability >= {float(threshold)} ORDER BY match_probability DESC")
        while batch := result.fetchmany(10_000):
            for row in batch:
                values = dict(zip(columns, row))
                evidence = [("prior", "prior", prior_weight)]
                for name in names:
                    weight = values[f"mw_{name}"] + (values.get(f"mw_tf_adj_{name}") or 0.0)
                    level = levels[name].get(values[f"gamma_{name}"], "null")
                    evidence.append((name, level, weight))
                yield Pair(str(values["record_id_l"]), str(values["record_id_r"]),
                           float(values["match_probability"]), float(values["match_weight"]),
                           tuple(evidence))

    def pairs(self, threshold: float = PROBABLE) -> Iterator[Pair]:
        """Every candidate pair at or above the threshold, the most probable first; for linking,
        left_id is always from the first set."""
        if not self.trained:
            self.train()
        frame = self.linker.inference.predict(
            threshold_match_probability=threshold, warning_mode="never")
        yield from self._rows(frame, threshold)

    def pairs_new(self, new: Iterable[Record], threshold: float = POSSIBLE) -> Iterator[Pair]:
        """Incremental matching: the new records scored against every existing one (and each
        other, when deduplicating), with the trained model and the existing data's term
        frequencies; nothing existing is compared again."""
        if not self.trained:
            self.train()
        self.batches += 1
        name = f"new_records_{self.batches}"
        self.con.register("new_arrow", table(new, self.spec))
        self.con.execute(f"CREATE TABLE {name} AS SELECT * FROM new_arrow")
        self.con.unregister("new_arrow")
        new_frame = self.db.register(name, dataset_display_name=name)
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
