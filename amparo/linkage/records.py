"""The records the engine reads: the CSV files of `amparo linkage match-files` and `dedupe-file`,
checked row by row. A file with a missing column, an impossible date or a duplicated id stops
with a message naming the file, the row and the column, before anything is matched.

Columns (UTF-8, a header row; any value may be empty): record_id, given_names, paternal_surname,
maternal_surname, sex (F/M), birth_date (YYYY-MM-DD), age (years at event_date), document_type,
document_number, department (2-digit UBIGEO), event_date (YYYY-MM-DD)."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.utils import timezone
from django.utils.translation import gettext as _

from amparo.linkage.features import Features, features

COLUMNS = ("record_id", "given_names", "paternal_surname", "maternal_surname", "sex",
           "birth_date", "age", "document_type", "document_number", "department", "event_date")
_ISO = re.compile(r"\d{4}-\d{2}-\d{2}")
DEPARTMENTS = 25  # UBIGEO departments 01 (Amazonas) to 25 (Ucayali)
OLDEST = 110


class BadInput(ValueError):
    """What is wrong with an input file, where, and what to do."""

    def __init__(self, path, row: int | None, column: str | None, message: str):
        self.path, self.row, self.column, self.message = str(path), row, column, message
        where = self.path
        if row is not None:
            where += _(", row %(row)s") % {"row": row}
        if column:
            where += _(", column %(column)s") % {"column": column}
        super().__init__(f"{where}: {message}")


@dataclass(frozen=True)
class Record:
    record_id: str
    features: Features


def _date(text: str, where) -> date | None:
    if not text:
        return None
    if not _ISO.fullmatch(text):
        raise BadInput(*where, _("'%(value)s' is not a date written YYYY-MM-DD (2005-03-24).")
                       % {"value": text})
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise BadInput(*where, _("'%(value)s' is not a real date; check day and month.")
                       % {"value": text}) from None
    if day > timezone.localdate():
        raise BadInput(*where, _("%(value)s is in the future.") % {"value": text})
    return day


def record_from(values: dict[str, str], where=(None, None)) -> Record:
    """One record from its column values (stripped text); `where` is (path, row) for errors."""
    path, row = where
    record_id = values.get("record_id", "")
    if not record_id:
        raise BadInput(path, row, "record_id", _("Every record needs an id."))
    birth = _date(values.get("birth_date", ""), (path, row, "birth_date"))
    event = _date(values.get("event_date", ""), (path, row, "event_date"))
    age = values.get("age", "")
    if age:
        if not age.isdigit() or int(age) > OLDEST:
            raise BadInput(path, row, "age", _(
                "'%(value)s' is not an age in whole years (0 to 110).") % {"value": age})
        age = int(age)
    else:
        age = None
    if birth and event and birth > event:
        raise BadInput(path, row, "birth_date", _(
            "The birth date %(birth)s is after the event date %(event)s.")
            % {"birth": birth, "event": event})
    sex = values.get("sex", "").upper()
    if sex not in ("", "F", "M"):
        raise BadInput(path, row, "sex", _("Write F, M or leave it empty, not '%(value)s'.")
                       % {"value": values["sex"]})
    department = values.get("department", "")
    if department and not (department.isdigit() and len(department) == 2
                           and 1 <= int(department) <= DEPARTMENTS):
        raise BadInput(path, row, "department", _(
            "'%(value)s' is not a department's 2-digit UBIGEO code (01 to 25).")
            % {"value": department})
    return Record(record_id, features(
        given_names=values.get("given_names", ""),
        paternal_surname=values.get("paternal_surname", ""),
        maternal_surname=values.get("maternal_surname", ""), sex=sex, birth_date=birth, age=age,
        event_date=event, document_type=values.get("document_type", ""),
        document_number=values.get("document_number", ""), department=department))


def records_read(path: str | Path) -> list[Record]:
    """Every record of a CSV file, or `BadInput` for the first thing wrong."""
    return list(records_iter(path))


def records_iter(path: str | Path) -> Iterator[Record]:
    """The records of a CSV file one by one; `BadInput` stops at the first thing wrong."""
    path = Path(path)
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except OSError as error:
        raise BadInput(path, None, None, _("cannot be read (%(error)s).")
                       % {"error": error.strerror}) from None
    with handle:
        reader = csv.reader(handle)
        try:
            header = [name.strip().lower() for name in next(reader, [])]
        except UnicodeDecodeError:
            raise BadInput(path, 1, None, _("is not UTF-8 text; save it as CSV UTF-8.")) from None
        missing = [name for name in COLUMNS if name not in header]
        if missing:
            raise BadInput(path, 1, ", ".join(missing), _(
                "the header lacks these columns; the file needs all of: %(columns)s.")
                % {"columns": ", ".join(COLUMNS)})
        index = [header.index(name) for name in COLUMNS]
        seen = {}
        try:
            for row, cells in enumerate(reader, start=2):
                if not any(cell.strip() for cell in cells):
                    continue
                if len(cells) < len(header):
                    cells = cells + [""] * (len(header) - len(cells))
                values = {name: cells[i].strip() for name, i in zip(COLUMNS, index)}
                record = record_from(values, (path, row))
                if record.record_id in seen:
                    raise BadInput(path, row, "record_id", _(
                        "the id %(id)s is already used in row %(first)s; ids must be unique.")
                        % {"id": record.record_id, "first": seen[record.record_id]})
                seen[record.record_id] = row
                yield record
        except UnicodeDecodeError:
            raise BadInput(path, None, None, _("is not UTF-8 text; save it as CSV UTF-8.")) \
                from None
