from django.db import migrations

from amparo.reference.loaders import load_ubigeo, load_vocabularies


def load(apps, schema_editor):
    load_ubigeo(apps.get_model("reference", "Department"), apps.get_model("reference", "Province"),
                apps.get_model("reference", "District"))
    load_vocabularies(apps.get_model("reference", "Vocabulary"),
                      apps.get_model("reference", "Term"))


class Migration(migrations.Migration):
    """Loads UBIGEO (INEI 2025) and vocabulary version 1. A later change to the data files comes
    with a migration that calls the same loaders, or with `amparo reference load`."""

    dependencies = [("reference", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
