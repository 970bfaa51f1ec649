from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("api", "0002_token_created_by")]

    operations = [
        migrations.AddField(
            model_name="idempotentcreate",
            name="body_digest",
            field=models.CharField(blank=True, default="", max_length=64),
        ),
    ]
