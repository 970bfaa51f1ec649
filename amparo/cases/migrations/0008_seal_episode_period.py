"""An episode's period ("el verano que cumplió 15", "cuando vivía con su tía en Iquitos") was
kept in clear and can say who she is. Seal it under the case's data key, history included
(each version under its episode's id, as the episode's other sealed fields)."""

from django.db import migrations, models


def seal_existing(apps, schema_editor):
    from amparo.crypto.envelope import context_of, seal_text
    from amparo.crypto.models import DataKey

    keys: dict = {}
    table = apps.get_model("cases", "Episode")._meta.db_table
    for name, pk_name in (("Episode", "pk"), ("HistoricalEpisode", "history_id")):
        model = apps.get_model("cases", name)
        for row_pk, episode_id, period, key_id in model.objects.values_list(
                pk_name, "id", "period", "data_key_id").iterator():
            if key_id is None or not period:
                continue
            if key_id not in keys:
                keys[key_id] = DataKey.objects.get(pk=key_id)
            model.objects.filter(**{pk_name: row_pk}).update(period_sealed=seal_text(
                keys[key_id], period, context_of(table, "period", episode_id)))


def sealed():
    return models.BinaryField(default=b"", editable=False,
                              verbose_name="period, if the dates are not known")


class Migration(migrations.Migration):

    dependencies = [
        ("cases", "0007_breakglass"),
        ("crypto", "0001_initial"),
    ]

    operations = [
        migrations.AddField(model_name="episode", name="period_sealed", field=sealed()),
        migrations.AddField(model_name="historicalepisode", name="period_sealed", field=sealed()),
        migrations.RunPython(seal_existing, migrations.RunPython.noop),
        migrations.RemoveField(model_name="episode", name="period"),
        migrations.RemoveField(model_name="historicalepisode", name="period"),
    ]
