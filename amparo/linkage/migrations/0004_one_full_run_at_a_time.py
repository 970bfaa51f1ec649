from django.db import migrations, models
from django.utils import timezone


def close_leftovers(apps, schema_editor):
    """Full runs left unfinished by a stopped worker, all but the newest, end as failed so that
    the constraint can hold."""
    MatchRun = apps.get_model("linkage", "MatchRun")
    open_runs = MatchRun.objects.filter(kind="full", finished_at__isnull=True).order_by(
        "-created_at")
    stale = [run.pk for run in open_runs[1:]]
    MatchRun.objects.filter(pk__in=stale).update(
        status="failed", finished_at=timezone.now(),
        error="Abandoned: the worker never finished it (stopped or restarted).")


class Migration(migrations.Migration):
    dependencies = [("linkage", "0003_report_status_changes")]

    operations = [
        migrations.RunPython(close_leftovers, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="matchrun",
            constraint=models.UniqueConstraint(
                condition=models.Q(("finished_at__isnull", True), ("kind", "full")),
                fields=("kind",), name="one_full_run_at_a_time"),
        ),
    ]
