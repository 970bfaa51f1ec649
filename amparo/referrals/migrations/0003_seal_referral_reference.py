"""A referral's document number (the oficio, the carta) was kept in clear, and in its history:
with it the receiving institution's file on her is found. Seal it under the case's data key;
its history keeps no copy (like the referral's other sealed texts)."""

from django.db import migrations, models


def seal_existing(apps, schema_editor):
    from amparo.crypto.envelope import context_of, seal_text
    from amparo.crypto.models import DataKey

    keys: dict = {}
    model = apps.get_model("referrals", "Referral")
    table = model._meta.db_table
    for pk, reference, key_id in model.objects.values_list(
            "pk", "reference", "data_key_id").iterator():
        if not reference:
            continue
        if key_id not in keys:
            keys[key_id] = DataKey.objects.get(pk=key_id)
        model.objects.filter(pk=pk).update(reference_sealed=seal_text(
            keys[key_id], reference, context_of(table, "reference", pk)))


class Migration(migrations.Migration):

    dependencies = [
        ("referrals", "0002_state_bodies"),
        ("crypto", "0001_initial"),
    ]

    operations = [
        migrations.AddField(model_name="referral", name="reference_sealed", field=models.BinaryField(
            default=b"", editable=False, verbose_name="document number (oficio, carta)")),
        migrations.RunPython(seal_existing, migrations.RunPython.noop),
        migrations.RemoveField(model_name="referral", name="reference"),
        migrations.RemoveField(model_name="historicalreferral", name="reference"),
    ]
