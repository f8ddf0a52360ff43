# Separate from 0004: on PostgreSQL, altering a table in the transaction that deleted its
# rows fails on the pending foreign-key checks.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("budgets", "0004_budget_participations"),
    ]

    operations = [
        migrations.RemoveField(model_name="order", name="checked_out_at"),
        migrations.RemoveField(model_name="order", name="receipt_hash"),
    ]
