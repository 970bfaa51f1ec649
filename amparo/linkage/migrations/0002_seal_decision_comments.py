"""Decision comments and consent-override reasons were kept in clear: seal every one under the
data key of a case of the decision's first person, then drop the clear columns."""

import django.db.models.deletion
from django.db import migrations, models


def seal_existing(apps, schema_editor):
    from amparo.crypto.envelope import context_of, seal_text
    from amparo.crypto.models import DataKey

    Decision = apps.get_model("linkage", "CandidateDecision")
    Case = apps.get_model("cases", "Case")
    table = Decision._meta.db_table
    for decision in Decision.objects.select_related("candidate").iterator():
        if not (decision.comment or decision.override_reason):
            continue
        case = (Case.objects.filter(person_id=decision.candidate.person_id).order_by("-intake_date")
                .first())
        if case is None:
            raise RuntimeError(f"Decision {decision.pk}: no case to seal its comment under.")
        key = DataKey.objects.get(pk=case.data_key_id)
        decision.data_key_id = key.pk
        decision.comment_sealed = seal_text(key, decision.comment,
                                            context_of(table, "comment", decision.pk))
        decision.override_reason_sealed = seal_text(
            key, decision.override_reason, context_of(table, "override_reason", decision.pk))
        decision.save(update_fields=["data_key", "comment_sealed", "override_reason_sealed"])


class Migration(migrations.Migration):

    dependencies = [
        ("cases", "0001_initial"),
        ("crypto", "0001_initial"),
        ("linkage", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="candidatedecision",
            name="comment_sealed",
            field=models.BinaryField(default=b"", editable=False),
        ),
        migrations.AddField(
            model_name="candidatedecision",
            name="data_key",
            field=models.ForeignKey(editable=False, null=True,
                                    on_delete=django.db.models.deletion.PROTECT,
                                    related_name="+", to="crypto.datakey"),
        ),
        migrations.AddField(
            model_name="candidatedecision",
            name="override_reason_sealed",
            field=models.BinaryField(default=b"", editable=False),
        ),
        migrations.RunPython(seal_existing, migrations.RunPython.noop),
        migrations.RemoveField(model_name="candidatedecision", name="comment"),
        migrations.RemoveField(model_name="candidatedecision", name="override_reason"),
    ]
