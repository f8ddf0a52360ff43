"""The database cache table (rate limits, CAPTCHA nonces, fragments) is part of the schema.

Created here so that ``migrate`` alone prepares a working installation: without it, the
first log-in failed with "no such table: civitas_shared_cache". ``createcachetable``
creates only what is missing, so running it again (``make run`` does) changes nothing.
"""

from django.core.management import call_command
from django.db import migrations


def create_cache_tables(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = []

    operations = [migrations.RunPython(create_cache_tables, migrations.RunPython.noop)]
