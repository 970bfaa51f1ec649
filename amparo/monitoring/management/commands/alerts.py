from django.core.management.base import BaseCommand

from amparo.monitoring.digest import digest_send
from amparo.monitoring.refresh import alerts_refresh
from amparo.monitoring.tasks import daily_work, schedule_next


class Command(BaseCommand):
    help = (
        "`amparo alerts refresh`: compute every alert rule for every open case now. "
        "`amparo alerts digest`: send today's e-mail digests (once per user and day). "
        "`amparo alerts daily`: both, and the referral reminders (for cron). "
        "`amparo alerts schedule`: queue the daily background job for `amparo db_worker`."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["refresh", "digest", "daily", "schedule"])

    def handle(self, *args, action, **options):
        if action == "refresh":
            run = alerts_refresh()
            self.stdout.write(
                f"{run.opened} opened, {run.ended} ended, {run.escalated} more urgent, "
                f"{run.woke} back from snooze; {run.live} live alerts "
                f"({(run.finished_at - run.started_at).total_seconds():.1f} s).")
        elif action == "digest":
            self.stdout.write(f"{digest_send()} digest(s) sent.")
        elif action == "daily":
            self.stdout.write(", ".join(f"{k}: {v}" for k, v in daily_work().items()))
        else:
            queued = schedule_next()
            self.stdout.write("Daily job queued." if queued else "The daily job is already queued.")
