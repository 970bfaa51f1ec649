"""Imports started in the browser run here, in the background worker (`amparo db_worker`), so a
long workbook never holds a page: the page polls the run's progress."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from amparo.imports.mapping import BadMapping, mapping_load
from amparo.imports.models import ImportRun
from amparo.imports.services import import_run


@task()
def import_execute(run_id: str, dry_run: bool, partial: bool) -> str:
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
