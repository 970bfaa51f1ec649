"""One source row → what Amparo would store, or why it cannot.

`Converter.row()` reads each mapped cell with its field's parser, resolves codes through the
mapping's `values` (then the vocabulary's own labels), fills `defaults`, and checks the result
with the same rules the intake form uses (`identity_clean`, the vocabularies, the age and
document rules). A row ends as a `Row` with its record and key, or with the issues that reject
it, each naming the column, the value and what to write instead. A blank or total row is
skipped, never rejected. Nothing here writes to the database."""

from __future__ import annotations

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from amparo.cases import validation
from amparo.cases.choices import IDENTITY_GAPS, identity_gaps
from amparo.cases.services.case import identity_clean, minor_at
from amparo.core.text import fold
from amparo.imports.mapping import Mapping
from amparo.imports.models import Outcome
from amparo.imports.options import Options
from amparo.imports.parsers import (
    Unreadable,
    is_blank,
    is_no_document,
    parse_document,
    split_document,
    split_name,
)
from amparo.imports.reading import CellReader, Issue, Row, cell_text, digest

TOTAL = re.compile(r"^(sub\s*)?totale?s?\b|^total\s+general")
# The service's field names → the target field they come from, to point at the right column.
SERVICE_FIELDS = {
    "given_names": "person.full_name", "birth_date": "person.birth_date",
    "estimated_age": "person.age_at_intake", "document_number": "person.document_number",
    "document_type": "person.document_type", "sex": "person.sex",
    "nationality": "person.nationality", "origin_country": "person.origin",
    "indigenous_people": "person.indigenous_people", "mother_tongue": "person.mother_tongue",
    "guardian_type": "case.guardian_type", "victim_status": "case.victim_status",
    "forms": "episode.forms_of_exploitation", "recruitment": "episode.recruitment",
}
IDENTITY_TARGETS = {
    "person.sex": "sex", "person.nationality": "nationality",
    "person.document_type": "document_type", "person.birth_date": "birth_date",
    "person.indigenous_people": "indigenous_people", "person.mother_tongue": "mother_tongue",
}


class Converter:
    def __init__(self, mapping: Mapping, *, today: date | None = None,
                 options: Options | None = None):
        self.mapping = mapping
        self.today = today or timezone.localdate()
        self.options = options or Options()
        self.known = validation.terms_known(
            {*validation.IDENTITY_VOCABULARIES.values(), *validation.CASE_VOCABULARIES.values(),
             *validation.EPISODE_VOCABULARIES.values()})

    def columns(self, headers: list[str]) -> dict[str, list[int]]:
        return self.mapping.columns_of(headers)

    def row(self, sheet: str, number: int, headers: list[str], columns: dict[str, list[int]],
            values: list) -> Row:
        row = Row(sheet, number, values)
        if all(is_blank(v) for v in values):
            row.outcome = Outcome.SKIPPED
            row.warnings.append(Issue("", "", _("Blank row.")))
            return row
        if self._total(values, columns):
            row.outcome = Outcome.SKIPPED
            row.warnings.append(Issue("", "", _("Total or subtotal row.")))
            return row
        reading = _Reading(self, row, headers, columns)
        record = reading.record()
        if row.issues:
            row.outcome = Outcome.REJECTED
            return row
        row.record = record
        key = []
        for name in self.mapping.key:
            value = reading.parsed.get(name)
            if value in (None, "", []):
                row.issues.append(Issue(reading.header(name), "", _(
                    "The key field %(field)s is empty: fill it, so that a re-import can "
                    "recognise this row.") % {"field": name}))
            key.append(value.isoformat() if isinstance(value, date) else str(value))
        if row.issues:
            row.outcome = Outcome.REJECTED
            return row
        row.key_hash = digest([self.mapping.office, sheet, key])
        row.content_hash = digest(record)
        return row

    def _total(self, values, columns) -> bool:
        named = [values[p] for t in ("person.full_name", "person.given_names",
                                     "person.paternal_surname") for p in columns.get(t, [])]
        # "TOTAL | 80": a count may stand where the name goes, a name never does.
        if any(not is_blank(v) and re.search(r"[^\W\d_]", str(v)) for v in named):
            return False
        return any(isinstance(v, str) and TOTAL.match(fold(v)) for v in values)


class _Reading(CellReader):
    """One row's record: its cells read (`CellReader`), assembled into identity, case, episode,
    follow-up and notes, and checked by the intake's own rules."""

    def record(self) -> dict:
        for target in self.columns:
            if target not in ("person.document_number", "person.full_name", "case.note",
                              "episode.description"):
                self.read(target)
        for target in self.c.mapping.defaults:
            if target not in self.parsed:
                self.read(target)
        identity = self._identity()
        case = self._case(identity)
        episode = {k: self.parsed.get(f"episode.{t}") for k, t in (
            ("forms", "forms_of_exploitation"), ("place_ubigeo", "place"),
            ("started_on", "started_on"), ("recruitment", "recruitment"))}
        episode["forms"] = episode["forms"] or []
        episode["place_ubigeo"] = episode["place_ubigeo"] or ""
        episode["recruitment"] = episode["recruitment"] or ""
        description = self._note("episode.description")
        if episode["started_on"] and case.get("intake_date") and \
                episode["started_on"] > case["intake_date"]:
            self.issue(self.header("episode.started_on"), episode["started_on"], _(
                "The facts are dated after the intake; check both dates."))
        try:
            validation.vocabulary_check(episode, validation.EPISODE_VOCABULARIES,
                                        known=self.c.known)
        except ValidationError as error:
            self._service_issues(error)
        has_episode = any(episode.values()) or bool(description)
        proceeding = {k: self.parsed.get(f"proceeding.{k}") or "" for k in (
            "police_report", "prosecutor_file", "court_file")}
        status = self.parsed.get("proceeding.status") or ""
        if status == "sin_denuncia":
            if any(proceeding.values()):
                self.warn(self.header("proceeding.status"), status, _(
                    "The register says no complaint was filed but gives a file number: the "
                    "proceeding was kept; check it."))
            else:
                self.notes.append(_("Legal status in the register: no complaint was filed."))
            status = ""
        proceeding["status"] = status
        note = self._note("case.note")
        notes = [n for n in [note, *self.notes] if n]
        return {
            "identity": identity, "case": case,
            "episode": ({**episode, "description": description} if has_episode else None),
            "proceeding": proceeding if any(proceeding.values()) else None,
            "follow_up": self._follow_up(case.get("intake_date")),
            "note": "\n".join(notes),
        }

    def _follow_up(self, intake) -> dict | None:
        """The register's last contact, as a follow-up: its date, how, and whether she was
        reached (the monitoring counts from it)."""
        day = self.parsed.get("follow_up.contacted_on")
        given = [t for t in ("follow_up.channel", "follow_up.reached")
                 if self.cell(t)[0] is not None]
        if day is None:
            for target in given:
                self.issue(self.header(target), self.cell(target)[0], _(
                    "A follow-up needs its date: map a column to follow_up.contacted_on."))
            return None
        header = self.header("follow_up.contacted_on")
        if intake and day < intake:
            self.issue(header, day, _("The last follow-up is dated before the intake."))
        channel = self.parsed.get("follow_up.channel")
        reached = self.parsed.get("follow_up.reached")
        if not channel:
            self.issue(self.header("follow_up.channel") or header, "", _(
                "Say how the follow-up was made: map follow_up.channel or set it in defaults "
                "(for example telefono)."))
        if reached is None:
            self.issue(self.header("follow_up.reached") or header, "", _(
                "Say whether she was reached: map follow_up.reached or set it in defaults "
                "(si or no)."))
        return {"contacted_on": day, "channel": channel or "", "reached": reached == "si"}

    def _note(self, target: str) -> str:
        """Every non-blank cell of the columns mapped to a note; with several columns, each
        after its header ("Situación legal: archivado"), so no column has to be dropped."""
        positions = self.columns.get(target, [])
        parts = []
        for position in positions:
            value = self.row.values[position]
            if not is_blank(value):
                text = cell_text(value)
                parts.append(f"{self.headers[position]}: {text}" if len(positions) > 1 else text)
        return "\n".join(parts)

    def _identity(self) -> dict:
        data = {key: self.parsed.get(target) for target, key in IDENTITY_TARGETS.items()}
        value, header = self.cell("person.full_name")
        name = None
        if value is not None:
            try:
                name = split_name(value)
            except Unreadable as error:
                self.issue(header, value, str(error))
        for key in ("given_names", "paternal_surname", "maternal_surname"):
            own = self.parsed.get(f"person.{key}")
            data[key] = own or (getattr(name, key) if name else "")
            self.parsed[f"person.{key}"] = data[key]
        self.parsed["person.full_name"] = " ".join(p for p in (
            data["given_names"], data["paternal_surname"], data["maternal_surname"]) if p)
        data["estimated_age"] = (None if data["birth_date"]
                                 else self.parsed.get("person.age_at_intake"))
        origin = self.parsed.get("person.origin") or ""
        data["origin_ubigeo"], data["origin_country"] = origin, ""
        data["document_number"] = self._document(data)
        return data

    def _document(self, data: dict) -> str:
        value, header = self.cell("person.document_number")
        if value is None:
            self.parsed["person.document_number"] = ""
            if self.cell("person.document_type")[0] is None:
                data["document_type"] = ""  # a default type is for the rows that have a number
            return ""
        if is_no_document(value):  # "no tiene", "sin DNI", "en trámite": she has none
            self.parsed["person.document_number"] = ""
            data["document_type"] = "ninguno"
            self.warn(header, value, _("Read as: no identity document."))
            return ""
        typed, value = split_document(value)  # "CE 009482724", "DNI: 04512345", "… (PTP)"
        kind = data.get("document_type") or ""
        if typed and typed != kind:
            if kind and self.cell("person.document_type")[0] is not None:
                self.warn(header, value, _("The number says %(typed)s but the type column "
                                           "says %(kind)s: the number's own word was kept.")
                          % {"typed": typed, "kind": kind})
            kind = data["document_type"] = typed
        if not kind:
            digits = re.sub(r"[\s.\-]", "", cell_text(value))
            if digits.isdigit() and 5 <= len(digits) <= 8:
                kind = data["document_type"] = "dni"
                self.warn(header, value, _("No document type: read as a DNI."))
            else:
                self.issue(header, value, _("Say which document this is: map a column to "
                                            "person.document_type or set it in defaults."))
                return ""
        try:
            number = parse_document(value, "dni" if kind == "dni" else "other")
        except Unreadable as error:
            self.issue(header, value, str(error))
            return ""
        self.parsed["person.document_number"] = number
        return number

    def _case(self, identity: dict) -> dict:
        p = self.parsed
        intake = p.get("case.intake_date")
        if intake is None and not any(i.column == self.header("case.intake_date")
                                      for i in self.row.issues):
            self.issue(self.header("case.intake_date"), "", _(
                "The intake date is empty; every case needs one."))
        case = {"intake_date": intake, "legacy_number": p.get("case.legacy_number") or "",
                "office": p.get("case.office") or self.c.mapping.office_of(self.row.sheet),
                "arrival": p.get("case.arrival") or "",
                "victim_status": p.get("case.victim_status") or "presunta",
                "guardian_type": p.get("case.guardian_type") or "",
                "status": p.get("case.status") or "", "closed_on": p.get("case.closed_on"),
                "closure_reason": p.get("case.closure_reason") or ""}
        if not case["arrival"]:
            self.issue(self.header("case.arrival"), "", _(
                "How she arrived is not said: map a column to case.arrival or set it in "
                "defaults (for example otra)."))
        if case["closed_on"] and not case["status"]:
            case["status"] = "cerrado"
        if case["status"] == "cerrado":
            if not case["closed_on"]:
                self.issue(self.header("case.closed_on"), "", _(
                    "A closed case needs its closing date (case.closed_on)."))
            if not case["closure_reason"]:
                self.issue(self.header("case.closure_reason"), "", _(
                    "A closed case needs the reason for closing: map case.closure_reason or set "
                    "it in defaults."))
        elif case["closed_on"]:
            self.issue(self.header("case.status"), case["status"], _(
                "The case has a closing date but its status is not closed; fix one of them."))
        if intake and case["closed_on"] and case["closed_on"] < intake:
            self.issue(self.header("case.closed_on"), case["closed_on"], _(
                "The closing date is before the intake date."))
        case["status"] = case["status"] or "registro"
        if intake is None:
            return case
        try:
            clean = identity_clean(identity, intake=intake, known=self.c.known,
                                   unknown_age_ok=True)  # an old record: a gap, not a loss
            identity.update(clean)
            validation.vocabulary_check(case, validation.CASE_VOCABULARIES, known=self.c.known)
        except ValidationError as error:
            self._service_issues(error)
            return case
        age, minor = minor_at(identity, intake)
        if age is None and self.minor_word:
            minor = case["minor_unknown_age"] = True
        if minor and not case["guardian_type"]:
            self.issue(self.header("case.guardian_type"), age, _(
                "She was a minor at intake (%(age)s): say who was responsible for her (map "
                "case.guardian_type or set it in defaults).") % {"age": age})
        gaps = [str(IDENTITY_GAPS[code]) for code in identity_gaps(
            birth_date=identity.get("birth_date"), estimated_age=identity.get("estimated_age"),
            document_type=identity.get("document_type"), sex=identity.get("sex"))]
        if gaps:
            self.warn("", "", _("Comes in with data to complete (%(fields)s): her case shows "
                                "it and an alert follows it until someone fills it in.")
                      % {"fields": ", ".join(gaps)})
        return case

    def _service_issues(self, error: ValidationError) -> None:
        for name, messages in error.message_dict.items():
            target = SERVICE_FIELDS.get(name, "")
            value = self.parsed.get(target, "")
            for message in messages:
                self.issue(self.header(target) if target else "", value, message)
