from django.db import migrations

from amparo.legal.loaders import load_deadline_rules, load_offences


def load(apps, schema_editor):
    load_offences(apps.get_model("legal", "Offence"))
    load_deadline_rules(apps.get_model("legal", "DeadlineRule"))


class Migration(migrations.Migration):
    dependencies = [("legal", "0002_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
