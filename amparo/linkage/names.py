"""Names as record linkage compares them (issue 6): the same woman written by a police alert,
her family and an office register. Three keys per name, each tolerant of one kind of difference:

- `name_clean`: accents, case, punctuation and spacing gone ("DEL ÁGUILA" → "del aguila");
- `surname_core`: a compound surname without its particles ("De La Cruz" → "cruz"), so that
  "Cruz" and "de la Cruz" meet;
- `variant_key`: one key for every spelling of a name. First the curated groups of
  `data/name_variants.yaml` (Huamán / Guamán / Waman; María Isabel / Maribel; Rosario / Charo),
  then a Spanish phonetic key for what no group lists (`phonetic`).

Nothing here decides that two people are the same: these keys feed the matching engine, which
weighs them with the rest of the evidence, and a person decides."""

from __future__ import annotations

import re
from functools import cache, lru_cache
from pathlib import Path

import yaml

from amparo.core.text import PARTICLES, fold

VARIANTS = Path(__file__).parent / "data" / "name_variants.yaml"
_NOT_LETTERS = re.compile(r"[^a-z ]+")
# Spanish and Andean spellings of one sound, in order: the longer patterns first.
_SOUNDS = [
    (r"ch", "C"),  # kept apart from the h rule below (restored at the end)
    (r"sh", "s"),
    (r"ll", "y"),
    (r"hu(?=[aeiou])", "w"), (r"gu(?=[ae])", "w"), (r"gu(?=[io])", "g"),
    (r"qu(?=[ei])", "k"), (r"cc", "k"), (r"q", "k"), (r"c(?=[ei])", "s"), (r"c", "k"),
    (r"z", "s"), (r"x", "ks"), (r"v", "b"), (r"g(?=[ei])", "j"), (r"h", ""),
    (r"y(?=[^aeiou]|$)", "i"), (r"e", "i"), (r"o", "u"), (r"w(?=u)", ""),
]


def name_clean(text: str | None) -> str:
    """Lower case, no accents, letters and single spaces only."""
    return " ".join(_NOT_LETTERS.sub(" ", fold(text or "")).split())


def surname_core(text: str | None) -> str:
    """A surname without the particles that join compound surnames."""
    return " ".join(w for w in name_clean(text).split() if w not in PARTICLES)


@lru_cache(maxsize=200_000)
def phonetic(word: str) -> str:
    """A Spanish phonetic key: letters that sound alike in Peru agree (c/k/qu, s/z/c, b/v,
    ll/y, silent h, hua/gua/wa, sh/s), doubled letters count once, and e/i and o/u agree, as
    Quechua and Aymara spellings swap them (Quispe / Quispi, Yupanqui / Yupanki)."""
    key = name_clean(word).replace(" ", "")
    for pattern, sound in _SOUNDS:
        key = re.sub(pattern, sound, key)
    key = key.replace("C", "ch")
    return re.sub(r"(.)\1+", r"\1", key)


@cache
def _groups() -> dict[str, dict[str, str]]:
    """Kind ("surnames", "given_names") → each spelling, and the sound of each spelling
    (prefixed "~"), → the group's first spelling. The sounds let a spelling the table does
    not list (Yoselinn) find the group of one it does (Yoselin)."""
    data = yaml.safe_load(VARIANTS.read_text(encoding="utf-8"))
    index: dict[str, dict[str, str]] = {}
    for kind in ("surnames", "given_names"):
        table = index[kind] = {}
        for group in data[kind]:
            head = name_clean(group[0])
            for spelling in group:
                table.setdefault(name_clean(spelling), head)
            for spelling in group:
                table.setdefault("~" + phonetic(spelling), head)
    return index


def _head(table: dict[str, str], name: str) -> str | None:
    return table.get(name) or table.get("~" + phonetic(name))


@lru_cache(maxsize=200_000)  # names repeat: a million records hold a few thousand spellings
def variant_key(text: str | None, *, kind: str = "surnames") -> str:
    """One key for every spelling of a name: its curated group's, or the phonetic key of each
    word. Given names are looked up whole first ("maria isabel" is "maribel")."""
    clean = surname_core(text) if kind == "surnames" else name_clean(text)
    if not clean:
        return ""
    table = _groups()[kind]
    head = _head(table, clean)
    if head:
        return phonetic(head)
    return " ".join(phonetic(_head(table, word) or word) for word in clean.split())
