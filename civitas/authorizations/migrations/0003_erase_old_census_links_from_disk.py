"""Dropping a column leaves its old values on disk until the rows are written again:
compact the two tables so the digests once stored beside accounts are really gone.

VACUUM cannot run inside a transaction, hence ``atomic = False``; when migrations run
inside one anyway (some test set-ups), it is skipped and ``VACUUM FULL`` must be run by hand.
"""

from django.db import migrations

TABLES = ("authorizations_authorization", "authorizations_censusentry")


def compact(apps, schema_editor):
    connection = schema_editor.connection
    if connection.in_atomic_block:
        return
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"VACUUM FULL {', '.join(TABLES)}")
        elif connection.vendor == "sqlite":
            cursor.execute("VACUUM")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("authorizations", "0002_census_use_unlinked_from_accounts"),
    ]

    operations = [
        migrations.RunPython(compact, migrations.RunPython.noop, elidable=False),
    ]
