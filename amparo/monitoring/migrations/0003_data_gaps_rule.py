"""A rule for cases that came in with gaps (an old register's row without age, document type or
sex): the loader adds the rules that are missing and leaves edited ones alone."""

from django.db import migrations

from amparo.monitoring.loaders import load_alert_rules


def load(apps, schema_editor):
    load_alert_rules(apps.get_model("monitoring", "AlertRule"))


class Migration(migrations.Migration):

    dependencies = [("monitoring", "0002_load_rules_and_instrument")]

    operations = [
        migrations.RunPython(load, migrations.RunPython.noop),
    ]
