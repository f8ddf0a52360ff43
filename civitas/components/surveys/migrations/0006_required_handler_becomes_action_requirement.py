"""A survey's required handler becomes a requirement of its component's "answer" action,
in every phase (the verifications every action of every component can now require)."""

from django.db import migrations

from civitas.ballotbox.operations import DropTriggers, FreezeRecords, ProtectSeal

FREEZE = FreezeRecords("answer", target_field="survey", target_model="survey")
# As left by 0005_receipt_mode_and_sealed_header.
SEAL = ProtectSeal(
    "survey",
    columns=("frozen_at", "seal", "tally", "sealed_definition", "sealed_header", "receipt_mode"),
)


def forwards(apps, schema_editor):
    Survey = apps.get_model("surveys", "Survey")
    ActionRequirement = apps.get_model("authorizations", "ActionRequirement")
    for component_id, handler in Survey.objects.exclude(authorization="").values_list("component_id", "authorization"):
        ActionRequirement.objects.get_or_create(component_id=component_id, phase=None, action="answer", handler=handler)


def backwards(apps, schema_editor):
    # Only a requirement in every phase fits the old field; per-phase ones have no equivalent.
    Survey = apps.get_model("surveys", "Survey")
    ActionRequirement = apps.get_model("authorizations", "ActionRequirement")
    rows = ActionRequirement.objects.filter(phase__isnull=True, action="answer", component__manifest_name="surveys")
    for row in rows.order_by("handler"):
        Survey.objects.filter(component_id=row.component_id, authorization="").update(authorization=row.handler)


class Migration(migrations.Migration):
    dependencies = [
        ("surveys", "0005_receipt_mode_and_sealed_header"),
        ("authorizations", "0004_action_requirements_letter_codes_districts"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
        # SQLite rebuilds the survey table to drop a column: its triggers go first.
        DropTriggers(FREEZE),
        DropTriggers(SEAL),
        migrations.RemoveField(model_name="survey", name="authorization"),
        FREEZE,
        SEAL,
    ]
