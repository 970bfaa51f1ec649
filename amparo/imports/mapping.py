"""The mapping file: how a workbook becomes Amparo records (docs/import.md). `mapping_load`
reads the YAML a person checked and refuses, in Spanish, anything it cannot follow: an
unknown field, a key that no column fills, a value mapped to a code that does not exist, a
default that is not an option. A mapping that loads is one the importer can follow to the
letter."""

from __future__ import annotations

from dataclasses import dataclass, field

import yaml
from django.utils.translation import gettext as _

from amparo.core.text import fold
from amparo.imports.fields import FIELDS, TARGETS
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
    target: str = "casos"  # "asistencia": an attendance list of prevention activities
    activity: str = ""  # the activity every sheet belongs to (attendance)
    sheet_activities: dict[str, str] = field(default_factory=dict)  # sheet → activity code

    def activity_of(self, sheet: str) -> str:
        return self.sheet_activities.get(sheet, self.activity)

    def columns_of(self, headers: list[str]) -> dict[str, list[int]]:
        """Target → the positions of the sheet's columns that fill it, in sheet order."""
        found: dict[str, list[int]] = {}
        for position, header in enumerate(headers):
            target = self.columns.get(header) if header else None
            if target:
                found.setdefault(target, []).append(position)
        return found

    def office_of(self, sheet: str) -> str:
        return self.sheet_offices.get(sheet, self.office)

    def as_dict(self) -> dict:
        if self.target == "asistencia":
            return {"target": self.target, "office": self.office,
                    "activity": self.activity, "sheets": self.sheet_activities or self.sheets,
                    "header_row": self.header_row, "columns": self.columns,
                    "values": self.values, "defaults": self.defaults}
        return {"office": self.office, "sheets": self.sheet_offices or self.sheets,
                "header_row": self.header_row,
                "key": self.key, "unknown_values": self.unknown_values, "worker": self.worker,
                "columns": self.columns, "values": self.values, "defaults": self.defaults}


def _header_row(data: dict):
    header_row = data.get("header_row", "auto")
    if header_row != "auto" and not (isinstance(header_row, int) and header_row >= 1):
        raise BadMapping(_('header_row: write the number of the row with the headers, or "auto".'))
    return header_row


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

    target = str(data.get("target") or "casos").strip()
    if target not in TARGETS:
        raise BadMapping(_("target: write casos (a register of cases) or asistencia (an "
                           "attendance list)."))
    if target == "asistencia":
        return _attendance_mapping(data)
    unknown = set(data) - set(Mapping.__dataclass_fields__) - {"target"}
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
    header_row = _header_row(data)
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
        if target is not None and (target not in FIELDS or FIELDS[target].target != "casos"):
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


ATTENDANCE_ENTRIES = {"target", "office", "activity", "sheets", "header_row", "columns",
                      "values", "defaults", "unknown_values"}
ATTENDANCE_DEFAULTABLE = {"participant.audience", "participant.sex", "participant.institution",
                          "participant.department"}


def _attendance_mapping(data: dict) -> Mapping:
    """An attendance list: which activity each sheet is (one code for all, or a code per
    sheet), and which column holds what of each person."""
    from amparo.accounts.models import Office
    from amparo.prevention.models import Activity

    unknown = set(data) - ATTENDANCE_ENTRIES
    if unknown:
        raise BadMapping(_("An attendance mapping has entries Amparo does not know: %(names)s. "
                           "The entries are target, office, activity, sheets, header_row, "
                           "columns, values and defaults.")
                         % {"names": ", ".join(sorted(map(str, unknown)))})
    office = str(data.get("office") or "").strip()
    if not Office.objects.filter(code=office).exists():
        raise BadMapping(_("office: “%(office)s” is not an office.") % {"office": office})
    sheets = data.get("sheets", "*")
    sheet_activities = {}
    if isinstance(sheets, dict) and sheets:  # one sheet per event: {"Taller 3 marzo": PRV-…}
        sheet_activities = {str(k): str(v).strip() for k, v in sheets.items()}
        sheets = list(sheet_activities)
    activity = str(data.get("activity") or "").strip()
    codes = set(sheet_activities.values()) | ({activity} if activity else set())
    if not codes:
        raise BadMapping(_("activity: write the code of the activity (PRV-…), or give each "
                           "sheet its activity under sheets."))
    found = dict(Activity.objects.filter(code__in=codes).values_list("code", "office__code"))
    for code in sorted(codes):
        if code not in found:
            raise BadMapping(_("“%(code)s” is not an activity; copy its code from its page.")
                             % {"code": code})
        if found[code] != office:
            raise BadMapping(_("The activity %(code)s is of another office than %(office)s.")
                             % {"code": code, "office": office})
    columns = data.get("columns") or {}
    if isinstance(columns, dict):
        columns = {str(k).strip(): v for k, v in columns.items()}
    if not isinstance(columns, dict) or not columns:
        raise BadMapping(_("columns: list each header of the sheet and the field it goes to."))
    for header, target in columns.items():
        if target is not None and (target not in FIELDS
                                   or FIELDS[target].target != "asistencia"):
            raise BadMapping(_("columns: “%(header)s” goes to “%(target)s”, which is not a "
                               "field of an attendance list (participant.… or "
                               "attendance.hours).") % {"header": header, "target": target})
    mapped = {t for t in columns.values() if t}
    if not mapped & {"participant.full_name", "participant.given_names"}:
        raise BadMapping(_("No column holds the names: map one to participant.full_name (or "
                           "to participant.given_names and participant.surnames)."))
    header_row = _header_row(data)
    options = Options()
    values = {str(k): {str(source).strip(): code for source, code in (v or {}).items()}
              for k, v in (data.get("values") or {}).items()}
    for target, table in values.items():
        for source, code in table.items():
            if code is not None and not options.has(target, str(code)):
                raise BadMapping(_("values → %(target)s: “%(source)s” goes to “%(code)s”, "
                                   "which is not an option of that field.")
                                 % {"target": target, "source": source, "code": code})
    defaults = {k: v for k, v in (data.get("defaults") or {}).items() if v is not None}
    for target, code in defaults.items():
        if target not in ATTENDANCE_DEFAULTABLE:
            raise BadMapping(_("defaults: “%(target)s” cannot have a default; only %(names)s "
                               "can.") % {"target": target,
                                          "names": ", ".join(sorted(ATTENDANCE_DEFAULTABLE))})
        if FIELDS[target].kind in ("vocab", "choice") and not options.has(target, str(code)):
            raise BadMapping(_("defaults: “%(code)s” is not an option of %(target)s.")
                             % {"code": code, "target": target})
    return Mapping(office=office, sheets=sheets, header_row=header_row, key=[],
                   unknown_values=data.get("unknown_values", "reject"), columns=columns,
                   values=values, defaults=defaults, target="asistencia", activity=activity,
                   sheet_activities=sheet_activities)
