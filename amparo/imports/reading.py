"""Reading the cells of one source row (`convert.Converter` turns them into a record): what a
row and its issues are, and how each cell becomes a clean value or an issue that names the
column, the value and what to write instead."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from amparo.core.text import fold
from amparo.imports.fields import FIELDS
from amparo.imports.parsers import (
    Unreadable,
    is_blank,
    is_minor_word,
    parse_age,
    parse_date,
)

SEPARATORS = re.compile(r"\s*(?:[,;/+]|\sy\s|\se\s)\s*")


@dataclass
class Issue:
    column: str
    value: str
    message: str


@dataclass
class Row:
    sheet: str
    number: int
    values: list
    outcome: str = ""
    issues: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)
    record: dict | None = None
    key_hash: str = ""
    content_hash: str = ""
    case_code: str = ""

    @property
    def reason(self) -> str:
        return "; ".join(i.message for i in self.issues)


class CellReader:
    """The cells of one row as clean values, the issues found on the way: each mapped cell read
    with its field's parser, codes resolved through the mapping's `values`, then the
    vocabulary's labels, the places by their spelling."""

    def __init__(self, converter, row: Row, headers, columns):
        self.c, self.row, self.headers, self.columns = converter, row, headers, columns
        self.parsed: dict[str, object] = {}
        self.notes: list[str] = []
        self.minor_word = False  # the age cell said "menor", with no number

    def header(self, target: str) -> str:
        positions = self.columns.get(target) or []
        return self.headers[positions[0]] if positions else ""

    def cell(self, target: str):
        """The first non-blank cell of the columns mapped to the target, with its header. (For a
        yes/no column "no" is an answer, not a blank.)"""
        blank = is_blank if FIELDS[target].kind != "yesno" else (
            lambda v: v is None or not str(v).strip())
        for position in self.columns.get(target, []):
            value = self.row.values[position]
            if not blank(value):
                return value, self.headers[position]
        return None, self.header(target)

    def issue(self, column: str, value, message: str) -> None:
        self.row.issues.append(Issue(column, shown(value), message))

    def warn(self, column: str, value, message: str) -> None:
        self.row.warnings.append(Issue(column, shown(value), message))

    def read(self, target: str):
        value, header = self.cell(target)
        spec = FIELDS[target]
        if value is None:
            default = self.c.mapping.defaults.get(target)
            self.parsed[target] = default
            return default
        try:
            clean = self._parse(target, spec, value, header)
        except Unreadable as error:
            self.issue(header, value, str(error))
            clean = None
        self.parsed[target] = clean
        return clean

    def _parse(self, target, spec, value, header):
        if spec.kind == "date":
            return parse_date(value, today=self.c.today)
        if spec.kind == "age":
            if is_minor_word(value):  # "menor": a child whose age nobody wrote down
                self.minor_word = True
                return None
            return parse_age(value)
        if spec.kind in ("vocab", "choice", "office", "place", "yesno"):
            return self._code(target, spec, value, header)
        if spec.kind == "number":
            return parse_number(value)
        text = cell_text(value)
        if spec.kind == "text" and len(text) > 60:
            raise Unreadable(_("“%(value)s” is longer than 60 characters; shorten it or map the "
                               "column to a note.") % {"value": text[:60] + "…"})
        return text

    def _code(self, target, spec, value, header):
        text = cell_text(value)
        table = self.c.mapping.values.get(target, {})
        if text in table and table[text] is not None:
            code = table[text]
            return (code if isinstance(code, list) else [code]) if spec.many else code
        if text not in table:
            code = self._lookup(target, spec, text, header)
            if code is not None:
                return code
        if self.c.mapping.unknown_values == "note":
            self.notes.append(f"{header}: {text}")
            self.warn(header, text, _("No code fits this value; it went to a note of the case."))
            return [] if spec.many else None
        raise Unreadable(_("“%(value)s” fits no option of %(field)s. Add it to the mapping's "
                           "values with its code, or set unknown_values: note to keep it in a "
                           "note.") % {"value": text, "field": target})

    def _lookup(self, target, spec, text, header):
        if spec.kind == "place":
            try:
                place = self.c.options.places().match(text)
            except Unreadable:
                return None
            if place and not place.exact:
                self.warn(header, text, _("Read as %(name)s (%(code)s) by its spelling; check it.")
                          % {"name": place.name, "code": place.code})
            return place.code if place else None
        labels = self.c.options.labels(spec)
        if fold(text) in labels:
            return [labels[fold(text)]] if spec.many else labels[fold(text)]
        if spec.many:  # "sexual y laboral": every part must be known
            parts = [fold(p) for p in SEPARATORS.split(text) if p.strip()]
            own = self.c.mapping.values.get(target, {})
            table = {fold(k): v for k, v in own.items()}
            codes = []
            for part in parts:
                code = table.get(part) or labels.get(part)
                if code is None:
                    return None
                codes.extend(code if isinstance(code, list) else [code])
            return sorted(set(codes), key=codes.index)
        return None

def parse_number(value) -> Decimal:
    """A quantity such as hours: 4, 4.5, "4,5", "4 h"."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return Decimal(str(value))
    text = re.sub(r"\s*(h|hrs?|horas?)\.?$", "", cell_text(value).lower()).replace(",", ".")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise Unreadable(_("“%(value)s” is not a number; write it like 4 or 4.5.")
                         % {"value": cell_text(value)}) from None
    if number < 0:
        raise Unreadable(_("“%(value)s” cannot be negative.") % {"value": cell_text(value)})
    return number


def cell_text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return re.sub(r"\s+", " ", str(value)).strip()


def shown(value) -> str:
    if value is None:
        return ""
    return cell_text(value)


def digest(value) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True, default=str,
                                     ensure_ascii=False).encode()).hexdigest()
