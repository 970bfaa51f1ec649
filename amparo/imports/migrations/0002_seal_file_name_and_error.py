"""An import's file name (often a person's name) and its error (which may quote a cell) were
kept in clear. Seal them under the run's data key, like the file and its report."""

from django.db import migrations, models


def seal_existing(apps, schema_editor):
    from amparo.crypto.envelope import context_of, seal_text
    from amparo.crypto.models import DataKey

    Run = apps.get_model("imports", "ImportRun")
    table = Run._meta.db_table
    for pk, name, error, key_id in Run.objects.values_list(
            "pk", "file_name", "error", "data_key_id").iterator():
        key = DataKey.objects.get(pk=key_id)
        Run.objects.filter(pk=pk).update(
            file_name_sealed=seal_text(key, name or "", context_of(table, "file_name", pk)),
            error_sealed=seal_text(key, error or "", context_of(table, "error", pk)))


class Migration(migrations.Migration):

    dependencies = [
        ("crypto", "0001_initial"),
        ("imports", "0001_initial"),
    ]

    operations = [
        migrations.AddField(model_name="importrun", name="file_name_sealed",
                            field=models.BinaryField(default=b"", editable=False)),
        migrations.AddField(model_name="importrun", name="error_sealed",
                            field=models.BinaryField(default=b"", editable=False)),
        migrations.RunPython(seal_existing, migrations.RunPython.noop),
        migrations.RemoveField(model_name="importrun", name="file_name"),
        migrations.RemoveField(model_name="importrun", name="error"),
    ]
