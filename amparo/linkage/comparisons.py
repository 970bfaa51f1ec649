"""What the matching engine compares and how (issue 6): the Splink settings, written as SQL
over the columns of `features.py`.

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
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields

from django.utils.translation import gettext_lazy as _

from amparo.linkage.features import Features

PROBABLE = 0.5  # "more likely the same woman than not": the mark when no run has measured one
POSSIBLE = 0.2  # kept in the review queue as a possible match
PRIOR_MAX = 0.1
U_FLOOR = 1e-6
U_PAIRS = 5e6  # random pairs sampled for u: enough to see a shared document by chance
M_FLOOR = 0.002
TRAIN_MIN = 2_000  # fewer records than this: keep the prior u values, sampling would be noise
COLUMNS = [f.name for f in fields(Features)]
INT_COLUMNS = {"birth_year_min", "birth_year_max", "age"}


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
# Expectation maximisation learns m from the data, on pairs that are almost all the same woman
# however large the files: pairs with the same document (for names, birth, sex, department),
# then pairs with the same names and birth date (for the document, sex, department). Looser
# blocks (the same birth date alone) hold ever fewer true pairs as the files grow, and at a
# national register's size EM there learns what namesakes born the same day look like.
EM_RULES = (
    "l.document = r.document",
    "l.given_key = r.given_key AND l.surnames_sorted = r.surnames_sorted "
    "AND l.birth_date = r.birth_date",
)
EM_PAIRS = 2e6
EM_MIN_MATCHES = 100  # expected true pairs in a rule's block below which EM is not trusted
PRECISION = 0.95  # the operating point: the lowest probability whose pairs are this precise
# Reviewers' decisions teach m once there are this many "same" among them; each level's m is
# then the share of those pairs at that level, weighed against the unlabelled estimate as if
# that were LABEL_WEIGHT pairs.
LABELS_MIN = 20
LABEL_WEIGHT = 50


@dataclass(frozen=True)
class Spec:
    """One kind of matching: the columns it reads from each record's features, what it compares,
    which pairs it looks at, and how it learns (near-certain rules for the prior, expectation
    maximisation rules for m). Survivors and alerts use `PEOPLE`; another app (prevention's
    participants) writes its own and hands it to the same engine."""

    columns: tuple[str, ...]
    comparisons: tuple[Comparison, ...]
    blocking: tuple[str, ...]
    deterministic: tuple[str, ...] = ()
    recall: float = DETERMINISTIC_RECALL
    em_rules: tuple[str, ...] = ()
    prior: float = 1e-4
    int_columns: frozenset[str] = frozenset(INT_COLUMNS)
    train_min: int = TRAIN_MIN  # fewer records: the written u values, no frequencies


PEOPLE = Spec(columns=tuple(COLUMNS), comparisons=COMPARISONS, blocking=BLOCKING,
              deterministic=DETERMINISTIC, em_rules=EM_RULES)


def spark_sql(sql: str) -> str:
    """A condition written for DuckDB, as Spark SQL reads it: identifiers in backticks, lists
    of words as arrays, a difference in days. Only what these comparisons use; a test scores
    the same pairs on both engines."""
    sql = re.sub(r'"([a-z_]+)"', r"`\1`", sql)
    sql = sql.replace("list_has_any(", "arrays_overlap(").replace("str_split(", "split(")
    return sql.replace("date_diff('day', ", "datediff(DAY, ")


def settings(link_type: str, *, spec: Spec = PEOPLE, frequencies: bool = True,
             dialect: str = "duckdb") -> dict:
    """The Splink settings of the model, with the prior m and u of each level. Without
    `frequencies` (a small data set, whose counts say nothing), no term-frequency adjustment.
    `dialect`: duckdb, or spark (the conditions translated by `spark_sql`)."""
    return {
        "link_type": link_type,
        "unique_id_column_name": "record_id",
        "probability_two_random_records_match": spec.prior,
        "retain_matching_columns": True,  # the gamma (level) of each comparison
        "retain_intermediate_calculation_columns": True,
        "blocking_rules_to_generate_predictions": list(spec.blocking),
        "comparisons": [{
            "output_column_name": c.key,
            "comparison_description": c.key,
            "comparison_levels": [_level(level, frequencies, dialect) for level in c.levels],
        } for c in spec.comparisons],
    }


def _level(level: Level, frequencies: bool, dialect: str = "duckdb") -> dict:
    sql = spark_sql(level.sql) if dialect == "spark" else level.sql
    out = {"sql_condition": sql, "label_for_charts": level.key}
    if level.null:
        out["is_null_level"] = True
        return out
    out.update(m_probability=level.m, u_probability=level.u)
    if level.tf and frequencies:
        out.update(tf_adjustment_column=level.tf, tf_adjustment_weight=1.0,
                   disable_tf_exact_match_detection=True)
    return out
