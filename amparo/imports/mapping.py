"""The mapping file: how a workbook becomes Amparo records (docs/import.md). `mapping_load`
reads the YAML a person checked and refuses, in Spanish, anything it cannot follow: an
unknown field, a key that no column fills, a value mapped to a code that does not exist, a
default that is not an option. A mapping that loads is one the importer can follow to the
letter."""

from __future__ import annotations

from dataclasses import dataclass, field

import yaml
from django.utils.translation import gettext as _

from amparo.cases.text import fold
from amparo.imports.fields import FIELDS
from amparo.imports.options import YES_NO, Options

UNKNOWN_VALUES = ("reject", "note")
# Fields a default may fill when a row leaves them empty (never identity: a default name or
# document would be invented data).
DEFAULTABLE = {
    "case.office", "case.arrival", "case.victim_status", "case.status", "case.closure_reason",
    "case.guardian_type", "person.document_type", "person.sex", "person.nationality",
    "episode.forms_of_exploitation", "follow_up.channel", "follow_up.reached",
}


class BadMapping(ValueError):
    """The mapping cannot be followed; the message says which line and what to write."""


@dataclass
class Mapping:
    office: str
    sheets: list[str] | str = "*"
    header_row: int | str = "auto"
    key: list[str] = field(default_factory=list)
    unknown_values: str = "reject"
    worker: str = ""  # username of the responsible worker; empty: whoever imports
    columns: dict[str, str | None] = field(default_factory=dict)
    values: dict[str, dict[str, object]] = field(default_factory=dict)
    defaults: dict[str, object] = field(default_factory=dict)
    sheet_offices: dict[str, str] = field(default_factory=dict)  # sheet → office code

    def office_of(self, sheet: str) -> str:
        return self.sheet_offices.get(sheet, self.office)

    def as_dict(self) -> dict:
        return {"office": self.office, "sheets": self.sheet_offices or self.sheets,
                "header_row": self.header_row,
                "key": self.key, "unknown_values": self.unknown_values, "worker": self.worker,
                "columns": self.columns, "values": self.values, "defaults": self.defaults}


def mapping_load(text: str) -> Mapping:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        where = getattr(error, "problem_mark", None)
        line = (_(" (line %(n)s)") % {"n": where.line + 1}) if where else ""
        problem = getattr(error, "problem", error)
        raise BadMapping(_("The mapping is not valid YAML%(line)s: %(error)s. Check the "
                           "indentation and the quotes.") % {"line": line, "error": problem}
                         ) from None
    if not isinstance(data, dict):
        raise BadMapping(_("The mapping must be a YAML document with office, key and columns."))
    return mapping_from(data)


def mapping_from(data: dict) -> Mapping:
    from amparo.accounts.models import Office

    unknown = set(data) - set(Mapping.__dataclass_fields__)
    if unknown:
        raise BadMapping(_("The mapping has entries Amparo does not know: %(names)s. The "
                           "entries are office, sheets, header_row, key, unknown_values, "
                           "worker, columns, values and defaults.")
                         % {"names": ", ".join(sorted(map(str, unknown)))})
    office = str(data.get("office") or "").strip()
    if not Office.objects.filter(code=office).exists():
        codes = ", ".join(Office.objects.order_by("code").values_list("code", flat=True))
        raise BadMapping(_("office: “%(office)s” is not an office; write one of %(codes)s.")
                         % {"office": office, "codes": codes})
    sheets = data.get("sheets", "*")
    sheet_offices = {}
    if isinstance(sheets, dict) and sheets:  # a sheet per office: {"Lima 2015": lima, …}
        sheet_offices = {str(k): str(v) for k, v in sheets.items()}
        unknown = sorted(set(sheet_offices.values())
                         - set(Office.objects.values_list("code", flat=True)))
        if unknown:
            raise BadMapping(_("sheets: “%(office)s” is not an office; give each sheet an "
                               "office code.") % {"office": ", ".join(unknown)})
        sheets = list(sheet_offices)
    if sheets != "*" and not (isinstance(sheets, list) and sheets):
        raise BadMapping(_('sheets: write a list of sheet names, "*" for every sheet, or each '
                           'sheet with its office ("Lima 2015": lima).'))
    header_row = data.get("header_row", "auto")
    if header_row != "auto" and not (isinstance(header_row, int) and header_row >= 1):
        raise BadMapping(_('header_row: write the number of the row with the headers, or "auto".'))
    if data.get("unknown_values", "reject") not in UNKNOWN_VALUES:
        raise BadMapping(_("unknown_values: write reject (the row is rejected) or note (the "
                           "value goes to a note of the case)."))
    columns = data.get("columns") or {}
    if isinstance(columns, dict):  # a header such as 2015 reads as a number in YAML
        columns = {str(k).strip(): v for k, v in columns.items()}
    if not isinstance(columns, dict) or not columns:
        raise BadMapping(_("columns: list each header of the sheet and the Amparo field it "
                           "goes to (see docs/import.md)."))
    for header, target in columns.items():
        if target is not None and target not in FIELDS:
            raise BadMapping(_("columns: “%(header)s” goes to “%(target)s”, which is not an "
                               "Amparo field. Use one of the fields in docs/import.md, or null "
                               "to leave the column out.") % {"header": header, "target": target})
    mapped = {t for t in columns.values() if t}
    key = data.get("key") or []
    if not isinstance(key, list) or not key:
        raise BadMapping(_("key: list the fields that identify a row across imports, for "
                           "example [case.legacy_number, case.intake_date]."))
    for name in key:
        if name not in mapped:
            raise BadMapping(_("key: “%(name)s” is not filled by any column; map a column to it "
                               "or choose other key fields.") % {"name": name})
    if "case.intake_date" not in mapped:
        raise BadMapping(_("No column goes to case.intake_date: every case needs its intake date."))
    if not mapped & {"person.full_name", "person.given_names", "person.paternal_surname"}:
        raise BadMapping(_("No column holds her name: map one to person.full_name (or to "
                           "person.given_names and the surnames)."))
    values = {str(k): {str(source).strip(): code for source, code in (v or {}).items()}
              for k, v in (data.get("values") or {}).items()}
    options = Options()
    for target, table in values.items():
        if target not in FIELDS:
            raise BadMapping(_("values: “%(target)s” is not an Amparo field.") % {"target": target})
        for source, code in table.items():
            if code is None:
                continue  # undecided: the value counts as unknown
            for one in code if isinstance(code, list) else [code]:
                if not options.has(target, str(one)):
                    raise BadMapping(_("values → %(target)s: “%(source)s” goes to “%(code)s”, "
                                       "which is not an option of that field. Write a code of "
                                       "the list, or null.")
                                     % {"target": target, "source": source, "code": one})
    defaults = dict(data.get("defaults") or {})
    for target, code in defaults.items():
        if target not in DEFAULTABLE:
            raise BadMapping(_("defaults: “%(target)s” cannot have a default; only %(names)s can.")
                             % {"target": target, "names": ", ".join(sorted(DEFAULTABLE))})
        if code is not None and not all(options.has(target, str(one)) for one in
                                        (code if isinstance(code, list) else [code])):
            raise BadMapping(_("defaults: “%(code)s” is not an option of %(target)s.")
                             % {"code": code, "target": target})
    for target, code in list(defaults.items()):
        if FIELDS[target].kind == "yesno" and code is not None:
            defaults[target] = YES_NO[fold(str(code))]  # YAML reads sí/true/yes its own ways
    worker = str(data.get("worker") or "").strip()
    return Mapping(office=office, sheets=sheets, header_row=header_row, key=list(key),
                   unknown_values=data.get("unknown_values", "reject"), worker=worker,
                   columns=dict(columns), values=values,
                   defaults={k: v for k, v in defaults.items() if v is not None},
                   sheet_offices=sheet_offices)
