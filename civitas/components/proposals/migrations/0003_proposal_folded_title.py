from django.db import migrations, models

from civitas.search.text import fold


def fold_existing_titles(apps, schema_editor):
    Proposal = apps.get_model("proposals", "Proposal")
    batch = []
    for proposal in Proposal.objects.only("pk", "title").iterator(chunk_size=2000):
        proposal.folded_title = fold(proposal.title)
        batch.append(proposal)
        if len(batch) >= 2000:
            Proposal.objects.bulk_update(batch, ["folded_title"])
            batch = []
    Proposal.objects.bulk_update(batch, ["folded_title"])


class Migration(migrations.Migration):
    dependencies = [
        ("proposals", "0002_official_answers_and_evaluation"),
    ]

    operations = [
        migrations.AddField(
            model_name="proposal",
            name="folded_title",
            field=models.CharField(blank=True, editable=False, max_length=300),
        ),
        migrations.RunPython(fold_existing_titles, migrations.RunPython.noop),
    ]
