"""Running an import: what the background worker's task runs, and what `amparo import` runs.

`import_run` reads the file, converts every row (`convert.Converter`), tells new rows from
re-imported ones by their key, and then, unless it is a dry run, writes every accepted row in
one transaction: all or nothing, or the valid rows only with `partial`. Every source row ends
in exactly one outcome, which the report keeps. The people it created or changed are then
queued for matching against the missing-person reports.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from amparo.accounts.models import Office, User
from amparo.accounts.permissions import can
from amparo.audit.services import event_record
from amparo.core.liveness import process_mark
from amparo.core.workbook import BadFile, read
from amparo.crypto.envelope import data_key_create
from amparo.imports import attendance, writer
from amparo.imports import report as reports
from amparo.imports.attendance import AttendanceConverter
from amparo.imports.convert import Converter
from amparo.imports.fields import is_attendance_header, is_known_header
from amparo.imports.mapping import BadMapping, Mapping, mapping_load
from amparo.imports.models import ImportChange, ImportedRecord, ImportRun, Outcome
from amparo.imports.reading import Issue, Row
from amparo.imports.selectors import import_offices
from amparo.linkage.services import match_queue

PROGRESS_EVERY = 500


def import_allowed(actor: User, office: Office, target: str = "casos") -> None:
    """Cases come in by those who may import in the office; attendance lists by the prevention
    team of the office."""
    if target == "asistencia":
        if not can(actor, "prevention.manage", office.pk):
            raise PermissionDenied
        return
    if not can(actor, "import.run", office.pk):
        raise PermissionDenied


@dataclass
class Result:
    run: ImportRun
    rows: list[Row] = field(default_factory=list)
    headers: dict[str, list[str]] = field(default_factory=dict)




MATCH_BY_ID = 5_000  # more people than this: one full matching run instead of a list of ids


def _match_imported(run: ImportRun) -> None:
    """The people an import created or changed are matched against the open missing-person
    reports and the other registered people, as a case registered at intake is (the bulk
    insert sends no signal). Queued for the worker once the import commits."""
    persons = list(ImportChange.objects.filter(run=run, case__isnull=False)
                   .values_list("case__person_id", flat=True).distinct())
    if persons:
        match_queue(actor=None, persons=persons if len(persons) <= MATCH_BY_ID else ())


def import_run(*, actor: User, path: Path | str | bytes, mapping: Mapping, name: str = "",
               dry_run: bool = True, partial: bool = False, run: ImportRun | None = None,
               request=None) -> Result:
    """Read, check and (unless `dry_run`) import a file (a path, or an upload's bytes with its
    `name`). Refused as a whole when a row is rejected, unless `partial`. The run and its
    report are saved in every case."""
    if not isinstance(path, bytes):
        path = Path(path)
    office = Office.objects.get(code=mapping.office)
    import_allowed(actor, office, mapping.target)
    if run is None:
        if not isinstance(path, bytes) and not path.is_file():
            raise BadFile(_("There is no file %(path)s.") % {"path": path})
        content = path if isinstance(path, bytes) else path.read_bytes()
        run = ImportRun(office=office, file_name=(name or path.name)[:255], created_by=actor,
                        data_key=data_key_create(),
                        file_sha256=hashlib.sha256(content).hexdigest(), file_size=len(content))
    run.office, run.mapping, run.dry_run, run.partial = office, mapping.as_dict(), dry_run, partial
    run.target = mapping.target
    run.status, run.stage, run.error = ImportRun.Status.RUNNING, "reading", ""
    run.worker, run.started_at = process_mark(), timezone.now()
    run.save()
    result = Result(run)
    try:
        worker = _worker(mapping, office, actor)
        _check(result, path, mapping, name or run.file_name, actor, worker)
        if not dry_run and not _refused(result):
            _progress(run, "writing")
            with transaction.atomic(), writer.big_cache():
                if mapping.target == "asistencia":
                    attendance.rows_write(actor=actor, run=run, rows=result.rows,
                                          request=request)
                else:
                    writer.rows_write(actor=actor, run=run, rows=result.rows, mapping=mapping,
                                      worker=worker, request=request)
                    _match_imported(run)
    except (BadMapping, BadFile) as error:
        run.status, run.error = ImportRun.Status.FAILED, str(error)
    except Exception:
        # Nothing was written (the transaction rolled back); the run says so, then the error
        # goes on to the log.
        run.error = _("Internal error: nothing was imported. The technical team has the details.")
        ImportRun.objects.filter(pk=run.pk).update(
            status=ImportRun.Status.FAILED, finished_at=timezone.now(), stage="",
            error_sealed=run.error_sealed)
        raise
    else:
        run.status = _status(result)
    _finish(result)
    return result


def _worker(mapping: Mapping, office: Office, actor: User) -> User:
    if not mapping.worker:
        return actor
    worker = User.objects.filter(username=mapping.worker, is_active=True,
                                 role_assignments__office=office).first()
    if worker is None:
        raise BadMapping(_("worker: “%(name)s” is not an active user of the office %(office)s.")
                         % {"name": mapping.worker, "office": office.name})
    return worker


def _progress(run: ImportRun, stage: str, done: int | None = None) -> None:
    """Progress is written at once (outside the import's transaction) for the page to poll."""
    run.stage = stage
    fields = {"stage": stage}
    if done is not None:
        run.rows_done = fields["rows_done"] = done
    ImportRun.objects.filter(pk=run.pk).update(rows_total=run.rows_total, **fields)


def _check(result: Result, path, mapping: Mapping, name: str, actor: User, worker: User) -> None:
    run = result.run
    listing = mapping.target == "asistencia"
    sheets = read(path, name=name, sheets=mapping.sheets, header_row=mapping.header_row,
                  known=is_attendance_header if listing else is_known_header)
    for sheet in sheets:
        missing = [h for h in sheet.headers if h and h not in mapping.columns]
        if missing:
            raise BadMapping(_("Sheet %(sheet)s has columns the mapping does not mention: "
                               "%(headers)s. Add each to columns (null leaves it out), so that "
                               "no column is dropped without a decision.")
                             % {"sheet": sheet.name, "headers": ", ".join(missing)})
    run.rows_total = sum(len(s.rows) for s in sheets)
    _progress(run, "checking", 0)
    converter = AttendanceConverter(mapping) if listing else Converter(mapping)
    seen: dict[str, Row] = {}
    for sheet in sheets:
        result.headers[sheet.name] = sheet.headers
        columns = converter.columns(sheet.headers)
        for number, values in sheet.rows:
            row = converter.row(sheet.name, number, sheet.headers, columns, values)
            if row.key_hash:
                first = seen.get(row.key_hash)
                if first is not None:
                    row.outcome = Outcome.REJECTED
                    row.issues.append(Issue("", "", _(
                        "Same key as sheet %(sheet)s row %(row)s: two rows cannot be the same "
                        "case. Correct the key of one of them.")
                        % {"sheet": first.sheet, "row": first.number}))
                else:
                    seen[row.key_hash] = row
            result.rows.append(row)
            if len(result.rows) % PROGRESS_EVERY == 0:
                _progress(run, "checking", len(result.rows))
    if listing:
        attendance.classify(result.rows)
    else:
        _offices(result, actor, worker)
        _classify(result, mapping)
    _progress(run, "checking", len(result.rows))


def _offices(result: Result, actor: User, worker: User) -> None:
    """A row that names another office goes there only if the person importing may import
    there, and the responsible worker works there."""
    allowed = set(import_offices(actor).values_list("code", flat=True))
    staffed = set(worker.role_assignments.values_list("office__code", flat=True))
    for row in result.rows:
        if row.outcome or row.record is None:
            continue
        office = row.record["case"]["office"]
        if office not in allowed:
            message = _("You cannot import into the office %(office)s.") % {"office": office}
        elif office not in staffed:
            message = _("%(name)s does not work in the office %(office)s; set worker in the "
                        "mapping to someone who does.") % {"name": worker.username,
                                                            "office": office}
        else:
            continue
        row.outcome = Outcome.REJECTED
        row.issues.append(Issue("", office, message))


def _classify(result: Result, mapping: Mapping) -> None:
    """New, unchanged or updated, by the key of an earlier import; an update is refused when
    the case was edited in Amparo after that import."""
    pending = [r for r in result.rows if not r.outcome]
    office = Office.objects.get(code=mapping.office)
    known: dict[str, tuple] = {}
    hashes = [r.key_hash for r in pending]
    for start in range(0, len(hashes), 900):
        for found in ImportedRecord.objects.filter(
                office=office, key_hash__in=hashes[start:start + 900]).values_list(
                "key_hash", "pk", "content_hash", "case_version", "identity_version",
                "case__code", "case__office__code", "case__version",
                "case__person__identity__version"):
            known[found[0]] = found[1:]
    for row in pending:
        if row.key_hash not in known:
            row.outcome = Outcome.IMPORTED
            continue
        record_id, content, case_version, identity_version, code, case_office, now_case, \
            now_identity = known[row.key_hash]
        row.case_code = code
        if content == row.content_hash:
            row.outcome = Outcome.UNCHANGED
        elif (now_case, now_identity) != (case_version, identity_version):
            row.outcome = Outcome.REJECTED
            row.issues.append(Issue("", "", _(
                "Case %(code)s was edited in Amparo after it was imported, so this corrected "
                "row would overwrite that work. Make the correction in the case itself.")
                % {"code": code}))
        elif row.record["case"]["office"] != case_office:
            row.outcome = Outcome.REJECTED
            row.issues.append(Issue("", row.record["case"]["office"], _(
                "Case %(code)s belongs to another office; an import does not move cases.")
                % {"code": code}))
        else:
            row.outcome = Outcome.UPDATED
            row.record["_imported"] = record_id


def _refused(result: Result) -> bool:
    return not result.run.partial and any(r.outcome == Outcome.REJECTED for r in result.rows)


def _status(result: Result) -> str:
    if result.run.dry_run:
        return ImportRun.Status.CHECKED
    if _refused(result):
        return ImportRun.Status.REFUSED
    return ImportRun.Status.DONE


def _finish(result: Result) -> None:
    run = result.run
    run.counts = dict(Counter(r.outcome for r in result.rows))
    run.finished_at = timezone.now()
    run.stage = ""
    run.rows_done = len(result.rows)
    if run.status == ImportRun.Status.DONE:
        run.file_sealed = b""  # the rows are in Amparo now; the report keeps what they said
    run.seal_bytes("report", reports.report_pack(result.rows, result.headers))
    run.save()
    event_record(action="create" if run.status == ImportRun.Status.DONE else "view",
                 actor=run.created_by, object_type="import", object_id=str(run.pk),
                 section="dry_run" if run.dry_run else "import", office=run.office,
                 reason=f"sha256 {run.file_sha256[:16]}: {run.status} "
                        + ", ".join(f"{k} {v}" for k, v in sorted(run.counts.items())))


def run_queued(run_id: str, dry_run: bool, partial: bool) -> str:
    """A dry run or an import queued from the browser; a mapping or a right that no longer
    holds fails the run with the reason, sealed."""
    run = ImportRun.objects.select_related("created_by", "data_key", "office").get(pk=run_id)
    try:
        mapping = mapping_load(run.mapping_text)
        result = import_run(actor=run.created_by, path=run.unseal_bytes("file"),
                            name=run.file_name, mapping=mapping, dry_run=dry_run,
                            partial=partial, run=run)
    except (BadMapping, PermissionDenied) as error:
        message = str(error) if isinstance(error, BadMapping) else _(
            "%(name)s may no longer import in this office.") % {"name": run.created_by.username}
        run.error = message  # sealed
        ImportRun.objects.filter(pk=run.pk).update(status=ImportRun.Status.FAILED,
                                                   error_sealed=run.error_sealed,
                                                   finished_at=timezone.now())
        return ImportRun.Status.FAILED
    return result.run.status


def propose_queued(run_id: str) -> str:
    """An uploaded register read in the worker, never in the web request (a workbook can take
    seconds and hundreds of MB to parse): the mapping proposed from its headers and values, or
    the run failed with what is wrong with the file."""
    from amparo.imports.propose import propose, to_yaml
    from amparo.imports.reading import Unreadable

    S = ImportRun.Status
    run = ImportRun.objects.select_related("data_key", "office").get(pk=run_id)
    if run.status != S.READING:
        return run.status
    ImportRun.objects.filter(pk=run.pk).update(worker=process_mark(), started_at=timezone.now())
    try:
        text = to_yaml(propose(run.unseal_bytes("file"), name=run.file_name,
                               office=run.office.code))
    except (BadFile, Unreadable) as error:
        run.error = str(error)  # sealed
        ImportRun.objects.filter(pk=run.pk, status=S.READING).update(
            status=S.FAILED, error_sealed=run.error_sealed, finished_at=timezone.now())
        return S.FAILED
    ImportRun.objects.filter(pk=run.pk, status=S.READING).update(mapping_text=text,
                                                                  status=S.UPLOADED)
    return S.UPLOADED
