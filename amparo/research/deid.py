"""De-identifying a passage of testimony before anyone outside the care team reads it: the
survivor's and the perpetrators' names, places (every department, province and district of
the UBIGEO table), dates, ages, long numbers (documents, telephones) and e-mail addresses become
tags. What a machine cannot know (a nickname, a small shop's name) is left for the person who
checks: the capitalised words that remain are listed for her to look at."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from amparo.core.text import PARTICLES, fold
from amparo.reference.models import Department, District, Province

NAME, PLACE, DATE, AGE, NUMBER, EMAIL, CASE = ("[NOMBRE]", "[LUGAR]", "[FECHA]", "[EDAD]",
                                               "[NÚMERO]", "[CORREO]", "[CASO]")
TAGS = (NAME, PLACE, DATE, AGE, NUMBER, EMAIL, CASE)
MONTHS = ("enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|"
          "noviembre|diciembre")
_ACCENTS = {"a": "aáàäâ", "e": "eéèëê", "i": "iíìïî", "o": "oóòöô", "u": "uúùüû", "n": "nñ"}
PATTERNS = (
    (EMAIL, re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")),
    (CASE, re.compile(r"(?i)\b[A-Z]{3}-\d{4}-\d{2,6}\b")),  # Amparo's case codes, LIM-2026-0063
    (DATE, re.compile(rf"(?i)\b\d{{1,2}}\s+de\s+(?:{MONTHS})(?:\s+del?\s+\d{{4}})?\b")),
    (DATE, re.compile(rf"(?i)\b(?:{MONTHS})\s+del?\s+\d{{4}}\b")),
    (DATE, re.compile(r"\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b")),
    (DATE, re.compile(r"\b\d{4}-\d{2}-\d{2}\b")),
    (NUMBER, re.compile(r"\+?\b\d[\d .-]{4,}\d\b")),
    (DATE, re.compile(r"\b(?:19|20)\d{2}\b")),
    (AGE, re.compile(r"(?i)\b\d{1,2}\s+(?:años|añitos|anos)\b")),
)
YEAR = 7  # the index of the year-alone pattern: a year is not an exact date
_CAPITALISED = re.compile(r"(?<![\[\w])([A-ZÁÉÍÓÚÑÜ][\wáéíóúñü]+)")
_SENTENCE_START = re.compile(r"(^|[.!?¿¡:\n\"“«]\s*)$")


@dataclass
class Deidentified:
    text: str
    tags: Counter = field(default_factory=Counter)
    review: list[str] = field(default_factory=list)  # capitalised words left, for the checker


def _tolerant(word: str) -> str:
    """A regex for a word whatever its accents."""
    return "".join(f"[{_ACCENTS[c]}{_ACCENTS[c].upper()}]" if c in _ACCENTS else re.escape(c)
                   for c in fold(word))


def _words(names: list[str]) -> list[str]:
    found = set()
    for name in names:
        for word in re.findall(r"[\wáéíóúñü]+", name or "", flags=re.IGNORECASE):
            if len(word) >= 3 and fold(word) not in PARTICLES and not word.isdigit():
                found.add(word)
    return sorted(found, key=lambda w: (-len(w), w))


_PLACES: list = []  # the compiled pattern, once the UBIGEO table is there


def _places() -> re.Pattern | None:
    if _PLACES:
        return _PLACES[0]
    names = set()
    for model in (Department, Province, District):
        names.update(n for n in model.objects.values_list("name", flat=True) if len(n) >= 4)
    if not names:
        return None
    alternatives = "|".join(_tolerant(n).replace(r"\ ", r"\s+") for n in sorted(
        names, key=lambda n: (-len(n), n)))
    _PLACES.append(re.compile(rf"(?i)(?<![\w\[])(?:{alternatives})(?![\w\]])"))
    return _PLACES[0]


def deidentify(text: str, *, names: list[str] = (), years: bool = True) -> Deidentified:
    """`text` with tags for what identifies someone; `names` are the known people's names (the
    survivor's, her relatives', the perpetrators', the staff's, as recorded). `years=False`
    leaves a year alone (not an exact date) untouched."""
    tags: Counter = Counter()
    out = text or ""

    def replace(pattern: re.Pattern, tag: str, out: str, *, capital: bool = False) -> str:
        def swap(match):
            if capital and not match.group(0)[0].isupper():
                return match.group(0)
            tags[tag] += 1
            return tag
        return pattern.sub(swap, out)

    for tag, pattern in PATTERNS[:YEAR]:  # e-mails, codes, dates and numbers before years
        out = replace(pattern, tag, out)
    known = _words(list(names))
    if known:
        pattern = re.compile(r"(?<![\w\[])(?:" + "|".join(_tolerant(w) for w in known)
                             + r")(?![\w\]])", re.IGNORECASE)
        out = replace(pattern, NAME, out)
    places = _places()
    if places is not None:
        out = replace(places, PLACE, out, capital=True)
    for tag, pattern in PATTERNS[YEAR:]:
        if tag == DATE and not years:
            continue
        out = replace(pattern, tag, out)
    out = re.sub(r"(\[(?:NOMBRE|LUGAR)\])(\s+\1)+", r"\1", out)  # "[NOMBRE] [NOMBRE]" once
    return Deidentified(out, tags, review_words(out))


LABELS = {NAME: _("a name"), PLACE: _("a place"), DATE: _("an exact date"), AGE: _("an age"),
          NUMBER: _("a document or phone number"), EMAIL: _("an e-mail address"),
          CASE: _("a case code")}


def identifiers_left(text: str, names: list[str]) -> list[str]:
    """What a saved excerpt must not hold any more, by kind: everything the de-identifier tags
    except a year alone. Empty when the text is clean."""
    found = deidentify(text, names=names, years=False).tags
    return [str(LABELS[tag]) for tag in TAGS if found.get(tag)]


def capitalised(text: str) -> list[str]:
    """The capitalised words of a free text (a contact, a guardian): the names in it."""
    return [m.group(1) for m in _CAPITALISED.finditer(text or "")]


def names_left(text: str, names: list[str]) -> list[str]:
    """The words of `names` still in `text`, whatever their accents or case."""
    folded = fold(text)
    return [w for w in _words(names)
            if re.search(rf"(?<!\w){_tolerant(w)}(?!\w)", folded, re.IGNORECASE)]


def review_words(text: str) -> list[str]:
    """Capitalised words not at the start of a sentence: possibly a name or a place."""
    seen = []
    for match in _CAPITALISED.finditer(text):
        if _SENTENCE_START.search(text[:match.start()]):
            continue
        word = match.group(1)
        if word not in seen:
            seen.append(word)
    return seen
