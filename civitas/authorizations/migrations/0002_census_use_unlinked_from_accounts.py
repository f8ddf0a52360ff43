"""Census verifications no longer keep the digest beside the account.

Before: each ``Authorization`` held the census digest it was granted with, so whoever had
the census file and its key could map every verified account to a resident. After: the
census entry carries a ``used`` flag, the authorization only the day it was granted. The
link is destroyed on purpose, so this migration cannot be reversed.
"""

from django.db import migrations, models
from django.utils import timezone


def unlink(apps, schema_editor):
    CensusEntry = apps.get_model("authorizations", "CensusEntry")
    Authorization = apps.get_model("authorizations", "Authorization")
    used_by_organization = {}
    for authorization in Authorization.objects.order_by("pk").iterator():
        authorization.granted_on = timezone.localdate(authorization.granted_at)
        authorization.save(update_fields=["granted_on"])
        if authorization.handler == "census":
            used_by_organization.setdefault(authorization.organization_id, set()).add(authorization.unique_digest)
    for organization_id, used in used_by_organization.items():
        listed = set(
            CensusEntry.objects.filter(organization_id=organization_id).values_list("digest", flat=True)
        )
        # Rewritten in digest order, like an upload: no row's place tells when it was used.
        CensusEntry.objects.filter(organization_id=organization_id).delete()
        CensusEntry.objects.bulk_create(
            [
                CensusEntry(
                    organization_id=organization_id, digest=digest, listed=digest in listed, used=digest in used
                )
                for digest in sorted(listed | used)
            ],
            batch_size=2000,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("authorizations", "0001_census_entries_and_authorizations"),
    ]

    operations = [
        migrations.AddField(
            model_name="censusentry",
            name="listed",
            field=models.BooleanField(default=True),
        ),
        migrations.AddField(
            model_name="censusentry",
            name="used",
            field=models.BooleanField(default=False),
        ),
        migrations.AddField(
            model_name="authorization",
            name="granted_on",
            field=models.DateField(null=True),
        ),
        migrations.RunPython(unlink, elidable=False),
        migrations.AlterField(
            model_name="authorization",
            name="granted_on",
            field=models.DateField(),
        ),
        migrations.RemoveConstraint(
            model_name="authorization",
            name="one_account_per_resident",
        ),
        migrations.RemoveField(
            model_name="authorization",
            name="unique_digest",
        ),
        migrations.RemoveField(
            model_name="authorization",
            name="granted_at",
        ),
    ]
