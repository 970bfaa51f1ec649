"""Text normalisation for search and matching: lower case, no accents, single spaces."""

import re
import unicodedata

_SPACES = re.compile(r"\s+")
# Words that join a compound surname ("De La Cruz", "Del Águila"), folded.
PARTICLES = {"de", "del", "la", "las", "los", "y", "da", "di", "van", "von", "san"}
_NOT_ALNUM = re.compile(r"[^0-9A-Za-z]")


def fold(text: str) -> str:
    if text.isascii():  # most cells: nothing to decompose, and casefold is lower
        return _SPACES.sub(" ", text.lower()).strip()
    decomposed = unicodedata.normalize("NFKD", text or "")
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _SPACES.sub(" ", plain.casefold()).strip()


def document_key(number: str) -> str:
    """A document number as compared: letters and digits only, upper case."""
    return _NOT_ALNUM.sub("", fold(number)).upper()


def surname_units(words: list[str]) -> list[str]:
    """Surname units: particles join the word after them ("De La Cruz", "Del Águila")."""
    units, pending = [], []
    for word in words:
        pending.append(word)
        if fold(word) not in PARTICLES:
            units.append(" ".join(pending))
            pending = []
    if pending:  # a trailing particle: keep it with the last unit
        units[-1:] = [" ".join(units[-1:] + pending)] if units else [" ".join(pending)]
    return units
