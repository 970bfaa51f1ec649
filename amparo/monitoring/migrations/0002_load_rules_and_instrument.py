from django.db import migrations

from amparo.monitoring.loaders import load_alert_rules, load_risk_instrument


def load(apps, schema_editor):
    load_alert_rules(apps.get_model("monitoring", "AlertRule"))
    load_risk_instrument(apps.get_model("monitoring", "RiskInstrument"),
                         apps.get_model("monitoring", "RiskItem"))


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
