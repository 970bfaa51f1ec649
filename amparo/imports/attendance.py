"""Attendance lists of prevention activities, through the importer's own machinery: the same
mapping file (target: asistencia), dry run, report, all-or-nothing write and undo as a register
of cases. One row is one person at one activity. People are recognised by the prevention
service (the same document, or the same name at the same institution), so a list imported
twice, or a person on two lists, is one person: a row whose person already attended the
activity is unchanged. People new to Amparo are then matched by the record-linkage engine
(`prevention.matching`), and the uncertain pairs wait for a person."""

from __future__ import annotations

from datetime import date

import yaml
from django.utils import timezone
from django.utils.translation import gettext as _

from amparo.imports.fields import ATTENDANCE_SYNONYMS, header_key
from amparo.imports.mapping import Mapping
from amparo.imports.models import Outcome
from amparo.imports.options import Options
from amparo.imports.parsers import is_blank, split_name
from amparo.imports.reading import CellReader, Issue, Row
from amparo.prevention import selectors as prevention_selectors
from amparo.prevention.matching import pairs_find
from amparo.prevention.models import Activity, Attendance, Participant
from amparo.prevention.services import attendance_record

PERSON_FIELDS = {"participant.given_names": "given_names", "participant.surnames": "surnames",
                 "participant.document_number": "document_number", "participant.sex": "sex",
                 "participant.audience": "audience", "participant.institution": "institution",
                 "participant.contact": "contact"}


class AttendanceConverter:
    """A row of an attendance list → the person and her hours, or the issues that reject it."""

    def __init__(self, mapping: Mapping, *, today: date | None = None,
                 options: Options | None = None):
        self.mapping = mapping
        self.today = today or timezone.localdate()
        self.options = options or Options()
        codes = {mapping.activity, *mapping.sheet_activities.values()} - {""}
        self.activities = {a.code: a for a in Activity.objects.filter(code__in=codes)}

    def columns(self, headers: list[str]) -> dict[str, list[int]]:
        return self.mapping.columns_of(headers)

    def row(self, sheet: str, number: int, headers: list[str], columns: dict[str, list[int]],
            values: list) -> Row:
        row = Row(sheet, number, values)
        # A printed list numbers its empty lines: a row with nothing in the mapped columns is
        # blank, whatever its number says.
        if all(is_blank(values[p]) for positions in columns.values() for p in positions):
            row.outcome = Outcome.SKIPPED
            row.warnings.append(Issue("", "", _("Blank row.")))
            return row
        activity = self.activities.get(self.mapping.activity_of(sheet))
        if activity is None:
            row.outcome = Outcome.REJECTED
            row.issues.append(Issue("", sheet, _(
                "The mapping gives this sheet no activity; add it under sheets.")))
            return row
        reading = CellReader(self, row, headers, columns)
        person = {}
        for target in columns:
            value = reading.read(target)
            if target in PERSON_FIELDS and value not in (None, ""):
                person[PERSON_FIELDS[target]] = value
        for target, value in self.mapping.defaults.items():
            if target in PERSON_FIELDS and not person.get(PERSON_FIELDS[target]):
                person[PERSON_FIELDS[target]] = value
        place = reading.parsed.get("participant.department") or self.mapping.defaults.get(
            "participant.department")
        if place:
            person["department"] = str(place)[:2]
        full = reading.parsed.get("participant.full_name")
        if full and not person.get("given_names"):
            name = split_name(full)
            if name is not None:
                person["given_names"] = name.given_names
                person["surnames"] = " ".join(
                    p for p in (name.paternal_surname, name.maternal_surname) if p)
        if not person.get("given_names"):
            row.issues.append(Issue(reading.header("participant.full_name")
                                    or reading.header("participant.given_names"), "",
                                    _("No name in this row: write the person's name.")))
        hours = reading.parsed.get("attendance.hours")
        if hours is not None and activity.hours and hours > activity.hours:
            row.issues.append(Issue(reading.header("attendance.hours"), str(hours), _(
                "More hours than the activity's %(h)s.") % {"h": activity.hours}))
        if row.issues:
            row.outcome = Outcome.REJECTED
            return row
        row.record = {"activity": activity.code, "person": person, "hours": hours}
        return row


def classify(rows: list[Row]) -> None:
    """New attendance, or a person already on the activity's list (unchanged)."""
    for row in rows:
        if row.outcome:
            continue
        activity = row.record["activity"]
        found = prevention_selectors.participant_match(row.record["person"])
        row.case_code = found.code if found else ""
        attended = found is not None and prevention_selectors.attended(found, activity)
        row.outcome = Outcome.UNCHANGED if attended else Outcome.IMPORTED


def rows_write(*, actor, run, rows: list[Row], request=None) -> None:
    """The rows written; then the people the list registered for the first time are matched,
    in one run of the engine, against everyone registered before (pairs for a person to
    review)."""
    activities = {a.code: a for a in Activity.objects.filter(
        code__in={r.record["activity"] for r in rows if r.record})}
    started = timezone.now()
    for row in rows:
        if row.outcome != Outcome.IMPORTED:
            continue
        record = attendance_record(actor=actor, request=request,
                                   activity=activities[row.record["activity"]],
                                   person=row.record["person"], hours=row.record["hours"],
                                   source=f"import {run.pk}", match=False)
        row.case_code = record.participant.code
    pairs_find(list(Participant.objects.filter(
        attendance__source=f"import {run.pk}", created_at__gte=started).values_list(
        "pk", flat=True)))


def attendance_recorded(run) -> bool:
    """Whether the run's attendance is in (its transaction committed)."""
    return Attendance.objects.filter(source=f"import {run.pk}").exists()


def attendance_undo(run) -> int:
    """The attendance a run recorded, taken back (the people stay: they may be on other lists)."""
    deleted, _by_model = Attendance.objects.filter(source=f"import {run.pk}").delete()
    return deleted


def propose(headers: list[str], *, office: str, activity: str) -> str:
    """A first mapping for an attendance list, from its headers: every header the importer
    knows mapped, the others left out (null) for a person to decide."""
    columns = {h: ATTENDANCE_SYNONYMS.get(header_key(h)) for h in headers if h}
    return yaml.safe_dump({"target": "asistencia", "office": office, "activity": activity,
                           "columns": columns}, allow_unicode=True, sort_keys=False)
