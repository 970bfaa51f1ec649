"""Reading a file of missing-person reports (CSV or XLSX), row by row: the same identity checks
as the engine's input (records.py), plus the report's own number, district and date missing.
Every problem is collected with its row and column, so one upload tells everything to fix."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.utils.translation import gettext as _

from amparo.core.workbook import BadFile, read
from amparo.linkage.models import Source
from amparo.linkage.records import BadInput, record_from

COLUMNS = ("report_number", "given_names", "paternal_surname", "maternal_surname", "sex",
           "birth_date", "age", "document_type", "document_number", "department", "district",
           "missing_on")
OPTIONAL = ("source",)
# The engine's names for the report's own columns, in what a row's error names.
COLUMN_OF = {"record_id": "report_number", "event_date": "missing_on"}
FIELDS = ("given_names", "paternal_surname", "maternal_surname", "sex", "birth_date", "age",
          "document_type", "document_number", "department", "district", "missing_on")


@dataclass(frozen=True)
class ReportRow:
    row: int
    source: str
    number: str
    values: dict  # model field → value


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def report_rows(content: bytes, name: str, *, source: str) -> tuple[list[ReportRow], list[str]]:
    """The valid rows and, for every other, what is wrong (row and column named)."""
    try:
        sheet = read(content, name=name, header_row=1)[0]
    except BadFile as error:
        return [], [str(error)]
    headers = [_text(h).lower() for h in sheet.headers]
    missing = [c for c in COLUMNS if c not in headers]
    if missing:
        return [], [_("The first row lacks these columns: %(missing)s. The file needs: "
                      "%(columns)s (source is optional).")
                    % {"missing": ", ".join(missing), "columns": ", ".join(COLUMNS)}]
    rows, problems, seen = [], [], {}
    for number, cells in sheet.rows:
        values = {h: _text(cells[i]) if i < len(cells) else "" for i, h in enumerate(headers)}
        if not any(values.get(c) for c in COLUMNS):
            continue
        try:
            rows.append(_row(number, values, source, seen))
        except BadInput as error:
            problems.append(_("Row %(row)s, column %(column)s: %(message)s") % {
                "row": number, "column": COLUMN_OF.get(error.column, error.column),
                "message": error.message})
    return rows, problems


def _row(row: int, values: dict, source: str, seen: dict) -> ReportRow:
    where = ("", row)
    report_source = values.get("source") or source
    if report_source not in Source.values:
        raise BadInput("", row, "source", _("'%(value)s' is not a source; use one of %(codes)s.")
                       % {"value": report_source, "codes": ", ".join(Source.values)})
    key = (report_source, values["report_number"])
    if not values["report_number"]:
        raise BadInput("", row, "report_number", _("Every report needs its number."))
    if key in seen:
        raise BadInput("", row, "report_number", _(
            "report %(number)s is already in row %(first)s of this file.")
            % {"number": values["report_number"], "first": seen[key]})
    seen[key] = row
    record = record_from({**values, "record_id": values["report_number"],
                          "event_date": values["missing_on"]}, where)
    district = values["district"]
    if district and not (district.isdigit() and len(district) == 6):
        raise BadInput("", row, "district", _("'%(value)s' is not a 6-digit UBIGEO district.")
                       % {"value": district})
    department = values["department"] or district[:2]
    if district and department != district[:2]:
        raise BadInput("", row, "district", _(
            "district %(district)s is not in department %(department)s.")
            % {"district": district, "department": department})
    if not (values["given_names"] or values["paternal_surname"]):
        raise BadInput("", row, "given_names", _("A report needs at least a name or a surname."))
    features = record.features
    return ReportRow(row, report_source, values["report_number"], {
        "given_names": values["given_names"], "paternal_surname": values["paternal_surname"],
        "maternal_surname": values["maternal_surname"], "sex": features.sex,
        "birth_date": date.fromisoformat(values["birth_date"]) if values["birth_date"] else None,
        "age": int(values["age"]) if values["age"] else None,
        "document_type": values["document_type"].lower(),
        "document_number": values["document_number"], "department": department,
        "district": district,
        "missing_on": date.fromisoformat(values["missing_on"]) if values["missing_on"] else None,
    })
