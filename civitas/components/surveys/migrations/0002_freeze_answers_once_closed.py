from django.db import migrations

from civitas.ballotbox.operations import FreezeRecords, ProtectSeal


class Migration(migrations.Migration):
    dependencies = [("surveys", "0001_surveys_questions_answers_paper_batches")]

    operations = [
        FreezeRecords("answer", target_field="survey", target_model="survey"),
        ProtectSeal("survey"),
    ]
