"""The shared cache's table (settings.CACHES["default"] is the database unless Redis is set)."""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("countries", "0004_editors_group")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
