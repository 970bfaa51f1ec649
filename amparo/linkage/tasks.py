"""The background worker's tasks for linkage: thin, they run the pipeline in `matching`."""

from django_tasks import task

from amparo.linkage.matching import run_execute


@task()
def match_execute(run_id: str, report_ids: list[int], person_ids: list[int]) -> str:
    """A matching run queued by `services.match_queue`."""
    return run_execute(run_id, report_ids, person_ids)
