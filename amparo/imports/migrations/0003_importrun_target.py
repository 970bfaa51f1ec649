from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("imports", "0002_seal_file_name_and_error")]

    operations = [
        migrations.AddField(
            model_name="importrun",
            name="target",
            field=models.CharField(default="casos", editable=False, max_length=12,
                                   verbose_name="what it imports"),
        ),
    ]
