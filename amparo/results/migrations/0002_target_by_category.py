"""A target for any category of any of the indicator's breakdowns, not only a department: the
department column becomes the category, and a department target keeps its meaning (the
participants' or instruments' department, the survivors' department of origin)."""

from django.db import migrations, models


def departments_named(apps, schema_editor):
    Target = apps.get_model("results", "Target")
    for target in Target.objects.exclude(category="").select_related("indicator"):
        measure = target.indicator.measure or {}
        source = (measure.get("numerator") or measure).get("source")
        target.dimension = "department" if source in ("trained", "regional_instruments") else (
            "origin")
        target.save(update_fields=["dimension"])


class Migration(migrations.Migration):

    dependencies = [
        ("results", "0001_initial"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="target",
            options={"ordering": ["indicator", "period_start", "dimension", "category"]},
        ),
        migrations.RemoveConstraint(model_name="target", name="target_unique"),
        migrations.RenameField(model_name="target", old_name="department", new_name="category"),
        migrations.RenameField(model_name="historicaltarget", old_name="department",
                               new_name="category"),
        migrations.AlterField(
            model_name="target", name="category",
            field=models.CharField(blank=True, max_length=60, verbose_name="category")),
        migrations.AlterField(
            model_name="historicaltarget", name="category",
            field=models.CharField(blank=True, max_length=60, verbose_name="category")),
        migrations.AddField(
            model_name="historicaltarget", name="dimension",
            field=models.CharField(blank=True, max_length=20, verbose_name="breakdown")),
        migrations.AddField(
            model_name="target", name="dimension",
            field=models.CharField(blank=True, max_length=20, verbose_name="breakdown")),
        migrations.RunPython(departments_named, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="target",
            constraint=models.UniqueConstraint(
                fields=("indicator", "period_start", "period_end", "dimension", "category"),
                name="target_unique")),
    ]
