"""Which stage may follow which, and which decision may be taken in which stage (NCPP 2004).

The rules are data the service reads; they are written here, next to their reasons, because
they are law rather than preference. A step that breaks them is refused with a message that
says what the proceeding's stage allows.
"""

from __future__ import annotations

from dataclasses import dataclass

from amparo.legal.choices import Decision as D
from amparo.legal.choices import Stage as S

# A stage moved to by hand (e.g. an appeal was filed): current → allowed next stages.
NEXT_STAGES: dict[str, set[str]] = {
    S.COMPLAINT: {S.PRELIMINARY, S.CONCLUDED},
    S.PRELIMINARY: {S.INVESTIGATION, S.INTERMEDIATE, S.CONCLUDED},
    # After a plea agreement the judgment can be appealed or become final.
    S.INVESTIGATION: {S.INTERMEDIATE, S.APPEAL, S.ENFORCEMENT, S.CONCLUDED},
    # A dismissal can be appealed.
    S.INTERMEDIATE: {S.TRIAL, S.APPEAL, S.CONCLUDED},
    S.TRIAL: {S.APPEAL, S.ENFORCEMENT, S.CONCLUDED},
    S.APPEAL: {S.CASSATION, S.TRIAL, S.ENFORCEMENT, S.CONCLUDED},
    S.CASSATION: {S.APPEAL, S.TRIAL, S.ENFORCEMENT, S.CONCLUDED},
    S.ENFORCEMENT: {S.CONCLUDED},
    S.CONCLUDED: set(),  # only a reopening decision brings it back
}

ORDER = list(S.values)


@dataclass(frozen=True)
class DecisionRule:
    allowed_in: frozenset[str]
    moves_to: str | None = None  # None: the stage stays
    conviction: bool = False  # records a sentence
    judgment: bool = False  # ends a stage and can be appealed


_PRE = frozenset({S.COMPLAINT, S.PRELIMINARY})
_OPEN = frozenset(set(S.values) - {S.CONCLUDED})
DECISIONS: dict[str, DecisionRule] = {
    D.ARCHIVE: DecisionRule(_PRE, S.CONCLUDED),
    D.PROVISIONAL_RESERVE: DecisionRule(_PRE, S.CONCLUDED),
    D.REOPENING: DecisionRule(frozenset({S.CONCLUDED}), S.PRELIMINARY),
    D.TRANSFER: DecisionRule(frozenset({S.COMPLAINT, S.PRELIMINARY, S.INVESTIGATION})),
    D.FORMALISATION: DecisionRule(frozenset({S.PRELIMINARY}), S.INVESTIGATION),
    D.DIRECT_INDICTMENT: DecisionRule(frozenset({S.PRELIMINARY}), S.INTERMEDIATE),
    D.INDICTMENT: DecisionRule(frozenset({S.INVESTIGATION}), S.INTERMEDIATE),
    D.DISMISSAL: DecisionRule(frozenset({S.INTERMEDIATE}), judgment=True),
    D.TRIAL_ORDER: DecisionRule(frozenset({S.INTERMEDIATE}), S.TRIAL),
    D.PLEA: DecisionRule(frozenset({S.INVESTIGATION, S.INTERMEDIATE}), conviction=True,
                         judgment=True),
    D.ADMISSION: DecisionRule(frozenset({S.TRIAL}), conviction=True, judgment=True),
    D.CONVICTION: DecisionRule(frozenset({S.TRIAL}), conviction=True, judgment=True),
    D.ACQUITTAL: DecisionRule(frozenset({S.TRIAL}), judgment=True),
    D.APPEAL_CONFIRMS: DecisionRule(frozenset({S.APPEAL}), conviction=True, judgment=True),
    D.APPEAL_REVERSES: DecisionRule(frozenset({S.APPEAL}), conviction=True, judgment=True),
    D.APPEAL_ANNULS: DecisionRule(frozenset({S.APPEAL}), S.TRIAL),
    D.CASSATION_GRANTED: DecisionRule(frozenset({S.CASSATION}), conviction=True, judgment=True),
    D.CASSATION_DENIED: DecisionRule(frozenset({S.CASSATION}), judgment=True),
    D.CASSATION_INADMISSIBLE: DecisionRule(frozenset({S.CASSATION}), judgment=True),
    D.FINAL: DecisionRule(frozenset({S.INVESTIGATION, S.INTERMEDIATE, S.TRIAL, S.APPEAL,
                                     S.CASSATION}), S.ENFORCEMENT),
    D.EXTINCTION: DecisionRule(_OPEN, S.CONCLUDED),
    D.CONTUMACY: DecisionRule(frozenset({S.INTERMEDIATE, S.TRIAL})),
}
# Decisions whose judgment may carry a sentence (an appeal or cassation may change it; a
# reversal may turn an acquittal into a conviction, so the sentence is optional there).
SENTENCING = {code for code, rule in DECISIONS.items() if rule.conviction}
CONVICTIONS = {D.PLEA, D.ADMISSION, D.CONVICTION}
REOPENABLE = {D.ARCHIVE, D.PROVISIONAL_RESERVE}
