from django.db import migrations

from civitas.ballotbox.operations import FreezeRecords, ProtectSeal


class Migration(migrations.Migration):
    dependencies = [("majority_judgment", "0001_elections_candidates_ballots")]

    operations = [
        FreezeRecords("ballot", target_field="election", target_model="election"),
        ProtectSeal("election"),
    ]
