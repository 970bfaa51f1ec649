from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    # The login throttles live in the cache; with the database cache its table must exist.
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
