from django.db import migrations

from civitas.ballotbox.operations import FreezeRecords, ProtectSeal


class Migration(migrations.Migration):
    dependencies = [("budgets", "0001_budgets_projects_orders_ballots")]

    operations = [
        FreezeRecords("budgetballot", target_field="budget", target_model="budget"),
        ProtectSeal("budget"),
    ]
