"""Free text about her was kept in clear: why a case was closed, reopened or stepped back, her
plan's goals (in her words) and actions, and document titles (often the uploaded file's name).
Seal each under the case's data key, then drop the clear columns, history included."""

import uuid

import django.db.models.deletion
from django.db import migrations, models

# model, clear column, how to reach the case from a row
SEALED = [
    ("StatusChange", "reason", "case"),
    ("PlanGoal", "goal", "plan__case"),
    ("PlanAction", "description", "goal__plan__case"),
]


def seal_existing(apps, schema_editor):
    from amparo.crypto.envelope import context_of, seal_text
    from amparo.crypto.models import DataKey

    keys: dict = {}

    def key(pk):
        if pk not in keys:
            keys[pk] = DataKey.objects.get(pk=pk)
        return keys[pk]

    refs = {}
    for name, column, to_case in SEALED:
        model = apps.get_model("cases", name)
        table = model._meta.db_table
        rows = model.objects.values_list("pk", column, f"{to_case}__data_key_id")
        for pk, text, key_id in rows.iterator():
            ref = uuid.uuid4()
            refs[(name, pk)] = (ref, key_id)
            model.objects.filter(pk=pk).update(
                data_key_id=key_id, seal_ref=ref,
                **{f"{column}_sealed": seal_text(key(key_id), text or "",
                                                 context_of(table, column, ref))})
    # An action's history is sealed with the action's own reference, so an old version still
    # opens; rows of an action since deleted get a reference of their own.
    history = apps.get_model("cases", "HistoricalPlanAction")
    table = apps.get_model("cases", "PlanAction")._meta.db_table
    Goal = apps.get_model("cases", "PlanGoal")
    for hid, pk, goal_id, text in history.objects.values_list(
            "history_id", "id", "goal_id", "description").iterator():
        ref, key_id = refs.get(("PlanAction", pk), (None, None))
        if key_id is None:
            key_id = Goal.objects.filter(pk=goal_id).values_list("data_key_id", flat=True).first()
            ref = uuid.uuid4()
        if key_id is None:  # its goal is gone too: nothing can open it, so nothing is kept
            history.objects.filter(history_id=hid).update(description_sealed=b"")
            continue
        history.objects.filter(history_id=hid).update(
            data_key_id=key_id, seal_ref=ref,
            description_sealed=seal_text(key(key_id), text or "",
                                         context_of(table, "description", ref)))
    Document = apps.get_model("cases", "CaseDocument")
    for pk, title, key_id in Document.objects.values_list("pk", "title", "data_key_id").iterator():
        Document.objects.filter(pk=pk).update(title_sealed=seal_text(
            key(key_id), title or "", context_of(Document._meta.db_table, "title", pk)))


def data_key(null: bool):
    return models.ForeignKey(editable=False, null=null,
                             on_delete=django.db.models.deletion.PROTECT, related_name="+",
                             to="crypto.datakey")


class Migration(migrations.Migration):

    dependencies = [
        ("cases", "0005_document_sensitivity"),
        ("crypto", "0001_initial"),
    ]

    operations = [
        *[op for name, column, _to in SEALED for op in (
            migrations.AddField(model_name=name.lower(), name="data_key", field=data_key(True)),
            migrations.AddField(model_name=name.lower(), name="seal_ref",
                                field=models.UUIDField(default=uuid.uuid4, editable=False)),
            migrations.AddField(model_name=name.lower(), name=f"{column}_sealed",
                                field=models.BinaryField(default=b"", editable=False)),
        )],
        migrations.AddField(
            model_name="historicalplanaction", name="data_key",
            field=models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True,
                                    on_delete=django.db.models.deletion.DO_NOTHING,
                                    related_name="+", to="crypto.datakey")),
        migrations.AddField(model_name="historicalplanaction", name="seal_ref",
                            field=models.UUIDField(default=uuid.uuid4, editable=False)),
        migrations.AddField(model_name="historicalplanaction", name="description_sealed",
                            field=models.BinaryField(default=b"", editable=False)),
        migrations.AddField(model_name="casedocument", name="title_sealed",
                            field=models.BinaryField(default=b"", editable=False)),
        migrations.RunPython(seal_existing, migrations.RunPython.noop),
        *[migrations.RemoveField(model_name=name.lower(), name=column)
          for name, column, _to in SEALED],
        migrations.RemoveField(model_name="historicalplanaction", name="description"),
        migrations.RemoveField(model_name="casedocument", name="title"),
        *[migrations.AlterField(model_name=name.lower(), name="data_key", field=data_key(False))
          for name, _column, _to in SEALED],
    ]
