"""Who among the participants may be one person: the record-linkage engine of `linkage`, with
what a participant record holds (names, document, sex, institution, department; no birth date).

The sure cases never get here: the same document, or the same name at the same institution, is
the same person when a list comes in (`services.participant_find_or_create`). The engine looks
for the rest (María Isabel / Maribel, Quispe Mamani / Quispe M., Corte Superior de Justicia de
Cusco / CSJ Cusco) and proposes them for review; a person decides. Two rules of the team stand
whatever the score: two different documents are two people, and the same name at two different
institutions in two departments is two people, unless the document says otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from django.core.cache import cache
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from amparo.core.text import fold, surname_units
from amparo.linkage.comparisons import COMPARISONS, Comparison, Level, Spec
from amparo.linkage.engine import PROBABLE, Engine
from amparo.linkage.features import Features, features
from amparo.linkage.records import Record
from amparo.prevention.models import Participant, ParticipantPair

SHORT_WORDS = 4  # institution words shorter than this ("de", "la", "del") say nothing


@dataclass(frozen=True)
class AtWork(Features):
    """A participant's features: a person's, and where she works."""

    institution: str
    institution_words: str


def _words(institution: str) -> str:
    return " ".join(sorted({w for w in fold(institution).split() if len(w) >= SHORT_WORDS}))


def _either_null(column: str) -> str:
    return f'"{column}_l" IS NULL OR "{column}_r" IS NULL'


_BY_KEY = {c.key: c for c in COMPARISONS}
INSTITUTION = Comparison("institution", _("Institution"), (
    Level("null", _("missing in one of them"), _either_null("institution"), null=True),
    Level("exact", _("the same"), '"institution_l" = "institution_r"', 0.80, 0.02,
          tf="institution"),
    Level("close", _("close: one name within the other, or close in spelling"),
          'jaro_winkler_similarity("institution_l", "institution_r") >= 0.9 OR ('
          '"institution_words_l" <> \'\' AND "institution_words_r" <> \'\' AND ('
          "list_has_all(str_split(\"institution_words_l\", ' '), "
          "str_split(\"institution_words_r\", ' ')) OR "
          "list_has_all(str_split(\"institution_words_r\", ' '), "
          "str_split(\"institution_words_l\", ' '))))", 0.12, 0.02),
    Level("else", _("different"), "ELSE", 0.08, 0.93),
))
PARTICIPANTS = Spec(
    columns=("given_clean", "given_key", "given_first_key", "given_tokens", "paternal_key",
             "maternal_key", "paternal_clean", "maternal_clean", "surnames_sorted",
             "paternal_initial", "maternal_initial", "document", "document_type", "sex",
             "department", "institution", "institution_words"),
    comparisons=(_BY_KEY["given"], _BY_KEY["surnames"], _BY_KEY["document"], _BY_KEY["sex"],
                 INSTITUTION, _BY_KEY["department"]),
    blocking=(
        "l.document = r.document",
        "l.paternal_key = r.paternal_key AND l.given_first_key = r.given_first_key",
        "l.maternal_key = r.maternal_key AND l.given_first_key = r.given_first_key",
        "l.surnames_sorted = r.surnames_sorted",
        "l.institution = r.institution AND l.paternal_key = r.paternal_key",
        "l.institution = r.institution AND l.given_first_key = r.given_first_key",
    ),
    # People trained come back: about one record in five is someone already registered, far
    # more often than two records of survivors are one woman.
    prior=1e-3,
    # A few hundred people already say how common a name or an institution is, and how often
    # two different people agree on each: measured on the data, not written here.
    train_min=300,
)


def record(participant: Participant) -> Record:
    units = surname_units(participant.surnames.split())
    base = features(given_names=participant.given_names,
                    paternal_surname=units[0] if units else "",
                    maternal_surname=" ".join(units[1:]), sex=participant.sex,
                    document_number=participant.document_number,
                    document_type=participant.document_type or "dni",
                    department=participant.department)
    values = {f.name: getattr(base, f.name) for f in fields(Features)}
    return Record(str(participant.pk), AtWork(
        **values, institution=participant.institution_key,
        institution_words=_words(participant.institution)))


def _stands(levels: dict[str, str]) -> bool:
    """The team's rules over the score: different documents are different people; so are
    different institutions in different departments, unless the same document says they are
    one (in the same department, "CSJ Cusco" may be how someone wrote the Court)."""
    if levels.get("document") == "else":
        return False
    moved = levels.get("institution") == "else" and levels.get("department") == "else"
    return not moved or levels.get("document") == "exact"


def pairs_find(new_ids: list, *, threshold: float = PROBABLE) -> int:
    """Score the new participant records against everyone else registered (and each other) and
    keep the pairs more likely one person than not, the earlier record first (a merge keeps it).
    Returns how many pairs it proposed. The threshold is higher than the survivors' queue (where
    a possible match is worth a look): here a missed pair counts someone twice, a false one costs
    the team's time, and the demo's lists showed that below one in two they are namesakes."""
    new_ids = list(set(new_ids))
    if not new_ids:
        return 0
    roots = Participant.objects.filter(merged_into__isnull=True).only(
        "pk", "given_names", "surnames", "sex", "document_number", "document_type",
        "department", "institution", "institution_key", "created_at")
    order = {}

    def read(people) -> list[Record]:
        out = []
        for person in people:
            order[str(person.pk)] = (person.created_at, str(person.pk))
            out.append(record(person))
        return out

    new = read(roots.filter(pk__in=new_ids))
    if not new:
        return 0
    rest = read(roots.exclude(pk__in=new_ids).iterator())
    if rest:
        scored = _trained(rest).pairs_new(new, threshold)
    else:
        scored = Engine(new, spec=PARTICIPANTS).pairs(threshold)
    proposed = 0
    known = ParticipantPair.objects.filter(Q(left_id__in=new_ids) | Q(right_id__in=new_ids))
    decided = {frozenset((str(a), str(b))) for a, b in known.values_list("left_id", "right_id")}
    for pair in scored:
        levels = {name: level for name, level, _weight in pair.evidence}
        if not _stands(levels) or frozenset((pair.left_id, pair.right_id)) in decided:
            continue
        left, right = sorted((pair.left_id, pair.right_id), key=order.__getitem__)
        ParticipantPair.objects.create(
            left_id=left, right_id=right, reason=_reason(levels)[:200],
            probability=round(pair.probability, 4),
            evidence=[[name, level, round(weight, 2)] for name, level, weight in pair.evidence])
        decided.add(frozenset((left, right)))
        proposed += 1
    return proposed


MODEL_KEY = "prevention.participants.model"
RETRAIN = 0.1  # the register grew or shrank by more than this share since the model was trained
MODEL_DAYS = 7


def _trained(rest: list[Record]) -> Engine:
    """The engine over everyone registered, with the model trained on them. Training takes
    about a second on a thousand people, so the model is kept (it holds weights, no names)
    and reused until the register changes by a tenth or a week has passed: one person added
    on the activity page answers in a fraction of a second."""
    kept = cache.get(MODEL_KEY)
    if kept and abs(kept["size"] - len(rest)) <= RETRAIN * kept["size"]:
        return Engine(rest, spec=PARTICIPANTS, model=kept["model"])
    engine = Engine(rest, spec=PARTICIPANTS)
    engine.train()
    if len(rest) >= PARTICIPANTS.train_min:
        cache.set(MODEL_KEY, {"size": len(rest), "model": engine.model()},
                  timeout=MODEL_DAYS * 86_400)
    return engine


LABELS = {c.key: c.label for c in PARTICIPANTS.comparisons}
LEVELS = {(c.key, lv.key): lv.label for c in PARTICIPANTS.comparisons for lv in c.levels}


def _reason(levels: dict[str, str]) -> str:
    """What agrees, in words, as the review list shows it ("Surnames: both the same; …")."""
    parts = [f"{LABELS[name]}: {LEVELS[(name, level)]}" for name, level in levels.items()
             if (name, level) in LEVELS and level not in ("null", "else")]
    return "; ".join(str(p) for p in parts)


def evidence(pair: ParticipantPair) -> list[dict]:
    """The engine's evidence for a pair, comparison by comparison, for the review list."""
    out = []
    for name, level, weight in pair.evidence or []:
        if name not in LABELS:
            continue
        out.append({"label": LABELS[name], "level": LEVELS.get((name, level), level),
                    "weight": weight, "sign": "+" if weight > 0 else "−" if weight < 0 else "·"})
    return out
