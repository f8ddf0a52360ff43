from django.db import migrations, models

from civitas.ballotbox.operations import DropTriggers, FreezeRecords, ProtectSeal

FREEZE = FreezeRecords("budgetballot", target_field="budget", target_model="budget")
# As left by 0004_receipt_mode_and_sealed_header.
SEAL = ProtectSeal(
    "budget",
    columns=("frozen_at", "seal", "tally", "sealed_definition", "sealed_header", "receipt_mode"),
)


class Migration(migrations.Migration):
    dependencies = [
        ("budgets", "0006_merge_participations_with_images_and_receipt_mode"),
    ]

    operations = [
        # SQLite rebuilds the budget table to add a column: its triggers go first.
        DropTriggers(FREEZE),
        DropTriggers(SEAL),
        migrations.AddField(
            model_name="budget",
            name="district",
            field=models.CharField(
                blank=True,
                help_text=(
                    "Leave empty to open this budget to every participant. Otherwise only residents whose "
                    "verification (census or letter code) places them in this district vote in it."
                ),
                max_length=100,
                verbose_name="district",
            ),
        ),
        FREEZE,
        SEAL,
    ]
