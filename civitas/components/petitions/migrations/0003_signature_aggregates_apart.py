"""Birth years and départements leave the signature rows for counters of their own."""

from django.db import migrations, models
import django.db.models.deletion


def count_apart(apps, schema_editor):
    Signature = apps.get_model("petitions", "Signature")
    SignatureAggregate = apps.get_model("petitions", "SignatureAggregate")
    shared = Signature.objects.exclude(birth_year__isnull=True, departement="")
    groups = (
        shared.order_by()
        .values("petition_id", "birth_year", "departement")
        .annotate(number=models.Count("pk"))
    )
    SignatureAggregate.objects.bulk_create(
        SignatureAggregate(
            petition_id=group["petition_id"],
            birth_year=group["birth_year"] or 0,
            departement=group["departement"],
            signatures=group["number"],
        )
        for group in groups
    )
    shared.update(shares_aggregates=True)


class Migration(migrations.Migration):
    dependencies = [("petitions", "0002_one_signature_per_person_any_channel")]

    operations = [
        migrations.AddField(
            model_name="signature", name="shares_aggregates", field=models.BooleanField(default=False)
        ),
        migrations.CreateModel(
            name="SignatureAggregate",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("birth_year", models.PositiveSmallIntegerField(default=0)),
                ("departement", models.CharField(blank=True, max_length=3)),
                ("signatures", models.IntegerField(default=0)),
                (
                    "petition",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="aggregates",
                        to="petitions.petition",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("petition", "birth_year", "departement"),
                        name="one_aggregate_per_year_and_departement",
                    )
                ]
            },
        ),
        migrations.RunPython(count_apart, migrations.RunPython.noop),
        migrations.RemoveField(model_name="signature", name="birth_year"),
        migrations.RemoveField(model_name="signature", name="departement"),
    ]
