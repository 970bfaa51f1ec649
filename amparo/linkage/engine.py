"""The matching engine (issue 6): Splink 5 on an in-memory DuckDB, comparing the columns of
`features.py`.

How it weighs evidence, field by field (the comparisons below, each a ladder of levels from the
strongest agreement down):

- given names: the same; the same name in another spelling or its compound form (Maribel / María
  Isabel, Charo / Rosario); one given name in common (María / María Isabel); close in spelling;
- surnames: both the same; both, swapped; one the same and the other missing or only an initial;
  one the same and the other close; one in common; both close. Surnames and given names that many
  women share (Quispe Mamani, María) count for less, by how often they occur in the data at hand
  (Splink's term-frequency adjustments);
- birth: the same date; day and month swapped or one digit off; a year or a month off; birth
  years that an age at a known date allows;
- document: the same; one character off (a typo); of different types, it says nothing;
- sex and department last seen.

Candidate pairs come from several blocking rules, so that a wrong paternal surname or a wrong
birth date alone does not lose a true pair: the document, the birth date (also day-month swapped),
either surname with the first given name, either surname crossed with the other, both surnames.

The model is trained on the data at hand: `u` (how often two different women agree by chance)
by random sampling, `m` (how often the same woman agrees at each level) by expectation
maximisation from the written priors below, the share of true pairs from near-certain rules.
Nothing is tuned to one data set. A trained model is kept as JSON so incremental matching
reuses it (docs/decisions.md says why each choice)."""

from __future__ import annotations

import copy
import logging
import math
from dataclasses import dataclass, fields
from typing import Iterable, Iterator

import duckdb
import pyarrow as pa
from django.utils.translation import gettext_lazy as _
from splink.internals.exceptions import SplinkException

from amparo.linkage.features import Features
from amparo.linkage.records import Record

PROBABLE = 0.5  # "more likely the same woman than not": the queue's probable match, the CLI default
POSSIBLE = 0.2  # kept in the review queue as a possible match
PRIOR_MAX = 0.1
U_FLOOR = 1e-6
M_FLOOR = 0.002
TRAIN_MIN = 2_000  # fewer records than this: keep the prior u values, sampling would be noise
COLUMNS = [f.name for f in fields(Features)]
_INT_COLUMNS = {"birth_year_min", "birth_year_max", "age"}


@dataclass(frozen=True)
class Level:
    key: str
    label: object  # a lazy translation: what the review page says
    sql: str
    m: float = 0.0
    u: float = 0.0
    tf: str | None = None  # term-frequency column: common values are weaker evidence
    null: bool = False


@dataclass(frozen=True)
class Comparison:
    key: str
    label: object
    levels: tuple[Level, ...]


def _either_null(*columns: str) -> str:
    return " OR ".join(f'"{c}_l" IS NULL OR "{c}_r" IS NULL' for c in columns)


def _tokens_meet(column: str) -> str:
    return f"list_has_any(str_split(\"{column}_l\", ' '), str_split(\"{column}_r\", ' '))"


def _jw(column: str, at: float) -> str:
    return f'jaro_winkler_similarity("{column}_l", "{column}_r") >= {at}'


_SURNAMES_NULL = ('("paternal_key_l" IS NULL AND "maternal_key_l" IS NULL) OR '
                  '("paternal_key_r" IS NULL AND "maternal_key_r" IS NULL)')
_P_EQ = '"paternal_key_l" = "paternal_key_r"'
_M_EQ = '"maternal_key_l" = "maternal_key_r"'
_M_FITS = ('("maternal_key_l" IS NULL OR "maternal_key_r" IS NULL '
           'OR "maternal_initial_l" = "maternal_initial_r")')
_P_FITS = ('("paternal_key_l" IS NULL OR "paternal_key_r" IS NULL '
           'OR "paternal_initial_l" = "paternal_initial_r")')
# Swapped surnames: the left record's paternal is the right one's maternal, or the reverse.
_PM_EQ = '"paternal_key_l" = "maternal_key_r"'
_MP_EQ = '"maternal_key_l" = "paternal_key_r"'


def _cross_fits(left: str, right: str) -> str:
    """The other surname, in the other place, is missing on one side or only its initial."""
    return (f'("{left}_key_l" IS NULL OR "{right}_key_r" IS NULL '
            f'OR "{left}_initial_l" = "{right}_initial_r")')


def _jw_cross(left: str, right: str, at: float = 0.85) -> str:
    return f'jaro_winkler_similarity("{left}_l", "{right}_r") >= {at}'


def _age_at(born: str, aged: str) -> str:
    """The whole years one side's birth date gives at the other side's event date are the age
    the other side says."""
    birth, event = f'"birth_date_{born}"', f'"event_date_{aged}"'
    return (f'({birth} IS NOT NULL AND "age_{aged}" IS NOT NULL AND '
            f'CAST(substr({event}, 1, 4) AS INTEGER) - CAST(substr({birth}, 1, 4) AS INTEGER) '
            f'- CAST(substr({event}, 6) < substr({birth}, 6) AS INTEGER) = "age_{aged}")')


_BIRTH_NULL = ('("birth_year_min_l" IS NULL OR "birth_year_min_r" IS NULL)')
_DATES = '"birth_date_l" IS NOT NULL AND "birth_date_r" IS NOT NULL'

COMPARISONS: tuple[Comparison, ...] = (
    Comparison("given", _("Given names"), (
        Level("null", _("missing in one of them"), _either_null("given_clean"), null=True),
        Level("exact", _("the same"), '"given_clean_l" = "given_clean_r"', 0.70, 0.004,
              tf="given_clean"),
        Level("variant", _("the same name, another spelling or form"),
              '"given_key_l" = "given_key_r"', 0.12, 0.002),
        Level("one", _("one given name in common"), _tokens_meet("given_tokens"), 0.10, 0.03),
        Level("close", _("close in spelling"), _jw("given_clean", 0.88) + " OR "
              "jaro_winkler_similarity(split_part(\"given_clean_l\", ' ', 1), "
              "split_part(\"given_clean_r\", ' ', 1)) >= 0.88", 0.05, 0.02),
        Level("else", _("different"), "ELSE", 0.03, 0.944),
    )),
    Comparison("surnames", _("Surnames"), (
        Level("null", _("missing in one of them"), _SURNAMES_NULL, null=True),
        Level("both", _("both the same"), f"{_P_EQ} AND {_M_EQ}", 0.68, 0.0002,
              tf="surnames_sorted"),
        Level("swapped", _("both the same, swapped"),
              '"surnames_sorted_l" = "surnames_sorted_r" AND "maternal_key_l" IS NOT NULL '
              'AND "maternal_key_r" IS NOT NULL', 0.04, 0.00002),
        Level("one_fits", _("one the same, the other missing or only its initial"),
              f"({_P_EQ} AND {_M_FITS}) OR ({_M_EQ} AND {_P_FITS})", 0.12, 0.003),
        Level("one_close", _("one the same, the other close in spelling"),
              f"({_P_EQ} AND {_jw('maternal_clean', 0.85)}) OR "
              f"({_M_EQ} AND {_jw('paternal_clean', 0.85)})", 0.06, 0.0008),
        Level("swapped_partial", _("swapped: one the same, the other close, missing or only "
                                   "its initial"),
              f"({_PM_EQ} AND ({_cross_fits('maternal', 'paternal')} OR "
              f"{_jw_cross('maternal_clean', 'paternal_clean')})) OR "
              f"({_MP_EQ} AND ({_cross_fits('paternal', 'maternal')} OR "
              f"{_jw_cross('paternal_clean', 'maternal_clean')}))", 0.02, 0.0005),
        Level("one", _("one surname in common"), _tokens_meet("surnames_sorted"), 0.05, 0.05),
        Level("close", _("both close in spelling"),
              f"{_jw('paternal_clean', 0.85)} AND {_jw('maternal_clean', 0.85)}", 0.02, 0.002),
        Level("else", _("different"), "ELSE", 0.03, 0.944),
    )),
    Comparison("birth", _("Birth"), (
        Level("null", _("unknown in one of them"), _BIRTH_NULL, null=True),
        Level("exact", _("the same date"), '"birth_date_l" = "birth_date_r"', 0.72, 0.0002),
        Level("typo", _("day and month swapped, or one digit off"),
              f'{_DATES} AND ("birth_date_l" = "birth_date_swapped_r" OR '
              'damerau_levenshtein("birth_date_l", "birth_date_r") <= 1)', 0.08, 0.003),
        Level("near", _("a year or a month off"),
              f'{_DATES} AND (substr("birth_date_l", 6) = substr("birth_date_r", 6) '
              'OR abs(date_diff(\'day\', CAST("birth_date_l" AS DATE), '
              'CAST("birth_date_r" AS DATE))) <= 31)', 0.06, 0.01),
        Level("age_exact", _("the age at the report's date is the one the birth date gives"),
              f"{_age_at('l', 'r')} OR {_age_at('r', 'l')}", 0.35, 0.03),
        Level("age", _("the age at the report's date fits the birth date"),
              '"birth_year_min_l" + 2 <= "birth_year_max_r" AND '
              '"birth_year_min_r" + 2 <= "birth_year_max_l"', 0.25, 0.06),
        Level("years", _("ages that fit within a year"),
              '"birth_year_min_l" <= "birth_year_max_r" AND '
              '"birth_year_min_r" <= "birth_year_max_l"', 0.06, 0.08),
        Level("else", _("different"), "ELSE", 0.02, 0.867),
    )),
    Comparison("document", _("Document"), (
        Level("null", _("missing in one of them, or of different types"),
              _either_null("document") + ' OR ("document_type_l" <> "document_type_r" AND '
              '"document_type_l" <> \'\' AND "document_type_r" <> \'\')', null=True),
        Level("exact", _("the same number"), '"document_l" = "document_r"', 0.90, 0.00001),
        Level("typo", _("one character off"),
              'length("document_l") >= 6 AND damerau_levenshtein("document_l", "document_r") '
              '<= 1', 0.06, 0.0001),
        Level("else", _("different"), "ELSE", 0.04, 0.99989),
    )),
    Comparison("sex", _("Sex"), (
        Level("null", _("missing in one of them"), _either_null("sex"), null=True),
        Level("exact", _("the same"), '"sex_l" = "sex_r"', 0.97, 0.75),
        Level("else", _("different"), "ELSE", 0.03, 0.25),
    )),
    Comparison("department", _("Department"), (
        Level("null", _("missing in one of them"), _either_null("department"), null=True),
        Level("exact", _("the same"), '"department_l" = "department_r"', 0.75, 0.12),
        Level("else", _("different"), "ELSE", 0.25, 0.88),
    )),
)

BLOCKING = (
    "l.document = r.document",
    "l.birth_date = r.birth_date",
    "l.birth_date = r.birth_date_swapped",
    "l.paternal_key = r.paternal_key AND l.given_first_key = r.given_first_key",
    "l.maternal_key = r.maternal_key AND l.given_first_key = r.given_first_key",
    "l.paternal_key = r.maternal_key AND l.given_first_key = r.given_first_key",
    "l.maternal_key = r.paternal_key AND l.given_first_key = r.given_first_key",
    "l.surnames_sorted = r.surnames_sorted AND l.maternal_key IS NOT NULL "
    "AND r.maternal_key IS NOT NULL",
    # A mistyped given name: either surname, the same initial, birth years that fit.
    *(f"l.{side}_key = r.{side}_key AND substr(l.given_clean, 1, 1) = "
      "substr(r.given_clean, 1, 1) AND l.birth_year_min <= r.birth_year_max "
      "AND r.birth_year_min <= l.birth_year_max" for side in ("paternal", "maternal")),
)
# Pairs these rules find are almost always the same woman: they estimate how many true pairs
# the data holds (the prior), assuming they find about two in three of them.
DETERMINISTIC = (
    "l.document = r.document AND l.given_first_key = r.given_first_key",
    "l.given_key = r.given_key AND l.surnames_sorted = r.surnames_sorted "
    "AND l.birth_date = r.birth_date",
)
DETERMINISTIC_RECALL = 0.65
# Expectation maximisation learns m from the data, twice: pairs with the same birth date (for
# names, document, sex, department), then pairs with the same names (for birth and the rest).
EM_RULES = (
    "l.birth_date = r.birth_date",
    "l.surnames_sorted = r.surnames_sorted AND l.given_key = r.given_key",
)
EM_PAIRS = 2e6
EM_MIN_MATCHES = 150  # expected true pairs in a rule's block below which EM is not trusted


def settings(link_type: str, *, comparisons=COMPARISONS, blocking=BLOCKING,
             frequencies: bool = True) -> dict:
    """The Splink settings of the model, with the prior m and u of each level. Without
    `frequencies` (a small data set, whose counts say nothing), no term-frequency adjustment."""
    return {
        "link_type": link_type,
        "unique_id_column_name": "record_id",
        "probability_two_random_records_match": 1e-4,
        "retain_matching_columns": True,  # the gamma (level) of each comparison
        "retain_intermediate_calculation_columns": True,
        "blocking_rules_to_generate_predictions": list(blocking),
        "comparisons": [{
            "output_column_name": c.key,
            "comparison_description": c.key,
            "comparison_levels": [_level(level, frequencies) for level in c.levels],
        } for c in comparisons],
    }


def _level(level: Level, frequencies: bool) -> dict:
    out = {"sql_condition": level.sql, "label_for_charts": level.key}
    if level.null:
        out["is_null_level"] = True
        return out
    out.update(m_probability=level.m, u_probability=level.u)
    if level.tf and frequencies:
        out.update(tf_adjustment_column=level.tf, tf_adjustment_weight=1.0,
                   disable_tf_exact_match_detection=True)
    return out


def table(records: Iterable[Record]) -> pa.Table:
    """The records as an Arrow table of feature columns, empty text as NULL."""
    ids, columns = [], {name: [] for name in COLUMNS}
    for record in records:
        ids.append(record.record_id)
        for name in COLUMNS:
            value = getattr(record.features, name)
            columns[name].append(value if value not in ("", None) else None)
    arrays = {"record_id": pa.array(ids, pa.string())}
    for name in COLUMNS:
        arrays[name] = pa.array(columns[name], pa.int32() if name in _INT_COLUMNS else pa.string())
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
    `train()` measures the model on the data; `pairs(threshold)` scores the candidates."""

    def __init__(self, left: Iterable[Record], right: Iterable[Record] | None = None, *,
                 model: dict | None = None, threads: int | None = None,
                 comparisons=COMPARISONS, blocking=BLOCKING):
        from splink import DuckDBAPI, Linker

        logging.getLogger("splink").setLevel(logging.ERROR)  # its advice is for analysts
        self.con = duckdb.connect(":memory:")
        if threads:
            self.con.execute(f"SET threads = {int(threads)}")
        self.con.execute("SET preserve_insertion_order = false")
        self.db = DuckDBAPI(self.con)
        self.linking = right is not None
        self.comparisons = comparisons
        self.sizes = []
        self.batches = 0  # sets of new records scored so far (pairs_new)
        inputs = []
        for name, records in (("left", left), ("right", right)):
            if records is None:
                continue
            data = table(records)
            self.sizes.append(data.num_rows)
            self.con.register(f"{name}_arrow", data)
            self.con.execute(f"CREATE TABLE {name}_records AS SELECT * FROM {name}_arrow")
            self.con.unregister(f"{name}_arrow")
            inputs.append(self.db.register(f"{name}_records", dataset_display_name=name))
        link_type = "link_only" if self.linking else "dedupe_only"
        spec = model or settings(link_type, comparisons=comparisons, blocking=blocking,
                                 frequencies=sum(self.sizes) >= TRAIN_MIN)
        self.linker = Linker(inputs, spec, log_level=logging.ERROR)
        self.trained = model is not None

    def train(self, *, seed: int = 7) -> None:
        """u from random pairs of this data, m by expectation maximisation (kept only where it
        had true pairs to learn from), the prior from near-certain rules. Small data keeps the
        written priors: a few hundred records would give noise."""
        training = self.linker.training
        if sum(self.sizes) >= TRAIN_MIN:
            training.estimate_u_using_random_sampling(max_pairs=2e6, seed=seed)
        model = self.linker._settings_obj
        prior = model._probability_two_random_records_match
        if sum(self.sizes) >= TRAIN_MIN:
            for rule in EM_RULES:
                self._em(rule)
            self._floors()
        try:
            training.estimate_probability_two_random_records_match(
                list(DETERMINISTIC), recall=DETERMINISTIC_RECALL)
        except Exception:  # noqa: BLE001 — no near-certain pair at all: keep the prior
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
        self.con.register("new_arrow", table(new))
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
