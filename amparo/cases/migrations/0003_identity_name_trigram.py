"""On PostgreSQL, a trigram index lets the name search (`search_name LIKE '%word%'`) use an index
instead of reading every identity. Needs the pg_trgm extension (see docs/deploy.md). SQLite
scans, which is fine at one organisation's size."""

from django.db import migrations

INDEX = "cases_identity_search_name_trgm"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON cases_identity USING gin (search_name gin_trgm_ops)"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("cases", "0002_case_office_intake_index")]
    operations = [migrations.RunPython(create, drop)]
