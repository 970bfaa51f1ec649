"""Imports started in the browser run here, in the background worker (`amparo db_worker`), so a
long workbook never holds a page: the page polls the run's progress."""

from django_tasks import task

from amparo.imports.execute import propose_queued, run_queued


@task()
def import_execute(run_id: str, dry_run: bool, partial: bool) -> str:
    return run_queued(run_id, dry_run, partial)


@task()
def import_propose(run_id: str) -> str:
    return propose_queued(run_id)
