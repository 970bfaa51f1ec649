"""The daily background job (django-tasks, database backend, `amparo db_worker`): refresh the
alerts, send the digests and the referral reminders, anchor the access log, then queue itself
for the next day. `amparo alerts schedule` queues the first run; cron can run
`amparo alerts daily` instead."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django_tasks import task

from amparo.audit.services import anchor_write
from amparo.monitoring.digest import digest_send
from amparo.monitoring.refresh import alerts_refresh
from amparo.referrals.services import referrals_remind


def daily_work() -> dict:
    run = alerts_refresh()
    return {"opened": run.opened, "ended": run.ended, "escalated": run.escalated,
            "live": run.live, "digests": digest_send(), "reminders": referrals_remind(),
            "anchored": anchor_write()["id"]}  # at least daily; cron can anchor more often


@task()
def daily_monitoring() -> dict:
    try:
        return daily_work()
    finally:
        schedule_next()


def next_run(now: datetime | None = None) -> datetime:
    """The next AMPARO_ALERTS_HOUR o'clock, local time."""
    now = timezone.localtime(now or timezone.now())
    at = timezone.make_aware(datetime.combine(now.date(), time(settings.AMPARO_ALERTS_HOUR)))
    return at if at > now else at + timedelta(days=1)


def schedule_next(now: datetime | None = None) -> bool:
    """Queue the next daily run unless one is already waiting. Returns whether it queued."""
    at = next_run(now)
    if settings.AMPARO_TASKS == "db":
        from django_tasks_db.models import DBTaskResult

        if DBTaskResult.objects.filter(task_path=daily_monitoring.module_path,
                                       status="READY").exists():
            return False
    elif not cache.add(f"amparo:daily:{at.isoformat()}", 1,
                       timeout=int((at - timezone.now()).total_seconds()) + 3600):
        return False  # on Redis: the run for that hour is already queued
    daily_monitoring.using(run_after=at).enqueue()
    return True
