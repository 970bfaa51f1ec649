"""A hearing's room or video link was kept in clear; a link lets anyone into a hearing where
she testifies. Seal it under the case's data key, history included."""

from django.db import migrations, models


def seal_existing(apps, schema_editor):
    from amparo.crypto.envelope import context_of, seal_text
    from amparo.crypto.models import DataKey

    keys: dict = {}
    table = apps.get_model("legal", "Hearing")._meta.db_table
    for name, pk_name in (("Hearing", "pk"), ("HistoricalHearing", "history_id")):
        model = apps.get_model("legal", name)
        for row_pk, hearing_id, room, key_id in model.objects.values_list(
                pk_name, "id", "room", "data_key_id").iterator():
            if key_id is None:
                model.objects.filter(**{pk_name: row_pk}).update(room_sealed=b"")
                continue
            if key_id not in keys:
                keys[key_id] = DataKey.objects.get(pk=key_id)
            model.objects.filter(**{pk_name: row_pk}).update(room_sealed=seal_text(
                keys[key_id], room or "", context_of(table, "room", hearing_id)))


class Migration(migrations.Migration):

    dependencies = [
        ("crypto", "0001_initial"),
        ("legal", "0003_load_offences_and_rules"),
    ]

    operations = [
        migrations.AddField(model_name="hearing", name="room_sealed",
                            field=models.BinaryField(default=b"", editable=False)),
        migrations.AddField(model_name="historicalhearing", name="room_sealed",
                            field=models.BinaryField(default=b"", editable=False)),
        migrations.RunPython(seal_existing, migrations.RunPython.noop),
        migrations.RemoveField(model_name="hearing", name="room"),
        migrations.RemoveField(model_name="historicalhearing", name="room"),
    ]
