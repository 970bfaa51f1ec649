"""Every write of an import but the run itself: keeping an uploaded file, queueing its dry run
or import for the worker (`tasks` → `execute`), and undoing a run. `import_undo` takes a whole
run back, as long as no one has worked on its cases since; otherwise it refuses and names them,
so nothing is lost.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from amparo.accounts.models import Office, User
from amparo.audit.services import event_record
from amparo.core.liveness import abandoned
from amparo.crypto.envelope import data_key_create
from amparo.imports import attendance, undo, writer
from amparo.imports.execute import import_allowed
from amparo.imports.mapping import BadMapping, mapping_load
from amparo.imports.models import ImportChange, ImportRun
from amparo.imports.tasks import import_execute, import_propose


@transaction.atomic
def import_run_create(*, actor: User, request=None, office: Office, file_name: str,
                      content: bytes, mapping_text: str = "", target: str = "casos") -> ImportRun:
    """A file uploaded in the browser, kept sealed until it is imported or undone. Without a
    mapping, the background worker reads it and proposes one (`import_propose`)."""
    import_allowed(actor, office, target)
    run = ImportRun(office=office, file_name=Path(file_name).name[:255], target=target,
                    file_sha256=hashlib.sha256(content).hexdigest(), file_size=len(content),
                    mapping_text=mapping_text, created_by=actor, data_key=data_key_create(),
                    status=ImportRun.Status.UPLOADED if mapping_text else
                    ImportRun.Status.READING)
    run.seal_bytes("file", content)
    run.save()
    if not mapping_text:
        transaction.on_commit(lambda: import_propose.enqueue(str(run.pk)))
    event_record(action="create", request=request, actor=actor, object_type="import",
                 object_id=str(run.pk), section="upload", office=office,
                 reason=f"sha256 {run.file_sha256[:16]}")
    return run


def import_queue(*, actor: User, request=None, run: ImportRun, mapping_text: str,
                 dry_run: bool, partial: bool) -> None:
    """Queue an uploaded file's dry run, or its import, for the background worker. The import
    needs a dry run of this very mapping first; a file already queued or imported is refused."""
    mapping = mapping_load(mapping_text)  # BadMapping says what is wrong
    if mapping.target != run.target:
        raise BadMapping(_("This file was uploaded as %(was)s; its mapping must say target: "
                           "%(was)s.") % {"was": run.target})
    try:
        import_allowed(actor, Office.objects.get(code=mapping.office), mapping.target)
    except PermissionDenied:
        raise BadMapping(_("You cannot import into the office %(office)s.")
                         % {"office": mapping.office}) from None
    import_allowed(actor, run.office, run.target)
    runs_recover()  # a run whose worker was killed may be started again
    S = ImportRun.Status
    with transaction.atomic():
        # Check and take the run in one statement: of two requests at once, one wins.
        runs = ImportRun.objects.filter(pk=run.pk)
        if dry_run:
            runs = runs.filter(status__in=[S.UPLOADED, S.CHECKED, S.REFUSED, S.FAILED])
        else:
            runs = runs.filter(status=S.CHECKED, mapping_text=mapping_text)
        taken = runs.update(mapping_text=mapping_text, status=S.QUEUED, partial=partial,
                            rows_done=0, stage="", error_sealed=b"")
        if not taken:
            status = ImportRun.objects.values_list("status", flat=True).get(pk=run.pk)
            raise ValidationError(
                _("This file is already being processed; wait for it to finish.")
                if status in (S.QUEUED, S.RUNNING) else
                _("This file was already imported. Upload it again to start over.")
                if status in (S.DONE, S.UNDONE) else
                _("Run the dry run with this mapping first, and read its report."))
        event_record(action="update", request=request, actor=actor, object_type="import",
                     object_id=str(run.pk), section="dry_run" if dry_run else "import",
                     office=run.office, reason="queued")
        transaction.on_commit(lambda: import_execute.enqueue(str(run.pk), dry_run, partial))


def runs_recover() -> int:
    """Take back the runs whose worker is gone (killed, restarted, its machine down): at once
    when it ran on this host (core.liveness), otherwise after AMPARO_RUN_ABANDON_HOURS. An
    import writes its rows in one transaction, so a killed one wrote nothing: it goes back to
    "dry run done" and can be started again; if the worker died just after the rows were
    committed, the import is done (and can be undone). A killed dry run fails. Returns how
    many runs were taken back."""
    S = ImportRun.Status
    taken = 0
    for run in ImportRun.objects.filter(
            Q(status=S.RUNNING) | Q(status=S.READING, worker__gt="")).select_related(
            "data_key", "office"):
        if not abandoned(run.worker, run.started_at):
            continue
        if run.status == S.READING:  # killed while reading the upload: nothing came of it
            run.error = _("The background worker stopped while reading this file. Nothing "
                          "was kept; upload it again.")
            taken += ImportRun.objects.filter(pk=run.pk, status=S.READING).update(
                status=S.FAILED, error_sealed=run.error_sealed, finished_at=timezone.now())
            continue
        written = not run.dry_run and (
            attendance.attendance_recorded(run) if run.target == "asistencia"
            else ImportChange.objects.filter(run=run).exists())
        if run.dry_run:
            status = S.FAILED
            run.error = _("The background worker stopped before finishing this dry run (it "
                          "was restarted or killed). Nothing was written; run it again.")
        elif written:  # killed between the rows' commit and the run's own last save
            status = S.DONE
            run.error = _("The background worker stopped just after the rows were written: "
                          "the import is complete, and can be undone. Its report is the dry "
                          "run's.")
        else:
            status = S.CHECKED
            run.error = _("The background worker stopped before finishing this import (it was "
                          "restarted or killed). Nothing was imported, as the rows are written "
                          "all at once; start the import again.")
        # Only if it is still the same dead worker's run: a run retaken meanwhile stays.
        if ImportRun.objects.filter(pk=run.pk, status=S.RUNNING, worker=run.worker).update(
                status=status, stage="", error_sealed=run.error_sealed,
                finished_at=timezone.now()):
            taken += 1
            event_record(action="update", actor=None, actor_username="system",
                         object_type="import", object_id=str(run.pk), section="recover",
                         office=run.office, reason=f"worker gone: back to {status}")
    return taken


@transaction.atomic
def import_undo(*, actor: User, request=None, run: ImportRun) -> ImportRun:
    """Take back everything the run wrote: delete the cases it created, put back what its
    updates replaced. Refused when a case was worked on since, or a later import changed it."""
    import_allowed(actor, run.office, run.target)
    run = ImportRun.objects.select_for_update().get(pk=run.pk)
    if run.status != ImportRun.Status.DONE:
        raise ValidationError(_("Only a finished import can be undone; this one is “%(status)s”.")
                              % {"status": run.get_status_display()})
    if run.target == "asistencia":  # the attendance it recorded; people stay
        codes = {"deleted": [None] * attendance.attendance_undo(run), "restored": []}
    else:
        with writer.big_cache():
            codes = undo.rows_undo(actor=actor, run=run, request=request)
    run.status, run.undone_by, run.undone_at = ImportRun.Status.UNDONE, actor, timezone.now()
    run.save(update_fields=["status", "undone_by", "undone_at"])
    event_record(action="delete", request=request, actor=actor, object_type="import",
                 object_id=str(run.pk), section="undo", office=run.office,
                 reason=f"{len(codes['deleted'])} deleted, "
                        f"{len(codes['restored'])} restored")
    return run
