"""The background tasks on Redis (AMPARO_TASKS=rq): the same daily job, queued by django-tasks'
RQ backend into the machine's Redis and worked by an RQ worker, with its next run queued once."""

import pytest
import redis

from amparo.monitoring.models import AlertRun
from amparo.monitoring.tasks import daily_monitoring, schedule_next

pytestmark = pytest.mark.django_db
REDIS_URL = "redis://127.0.0.1:6379/14"  # a database of its own, emptied by the test


@pytest.fixture
def on_redis(settings):
    connection = redis.Redis.from_url(REDIS_URL)
    connection.ping()  # the machine's Redis (CI has it): a clear error if it is down
    # Two runs of the suite at once (SQLite and PostgreSQL) share this Redis: one at a time.
    with redis.Redis.from_url(REDIS_URL.rsplit("/", 1)[0] + "/15").lock(
            "amparo:test:rq", timeout=300, blocking_timeout=300):
        connection.flushdb()
        settings.AMPARO_TASKS = "rq"
        settings.RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 600}}
        settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend",
                                      "QUEUES": ["default"]}}
        yield connection
        connection.flushdb()


def test_the_daily_job_runs_through_rq_and_queues_its_next_run_once(on_redis, tmp_path,
                                                                      settings):
    import django_rq
    from django_tasks_rq import Job
    from rq.worker import SimpleWorker

    settings.AMPARO_AUDIT_ANCHOR = tmp_path / "anchors.jsonl"
    assert type(daily_monitoring.get_backend()).__name__ == "RQBackend"
    result = daily_monitoring.enqueue()
    assert on_redis.keys("rq:job:*")  # the job is in Redis, not in the database
    django_rq.get_worker("default", worker_class=SimpleWorker, job_class=Job).work(burst=True)
    result.refresh()
    assert result.status == "SUCCESSFUL", result.errors
    assert result.return_value["live"] == AlertRun.objects.get().live
    assert schedule_next() is False  # the job queued tomorrow's run: not twice
