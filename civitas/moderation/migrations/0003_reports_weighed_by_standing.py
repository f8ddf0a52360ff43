"""Reports are weighed by the reporter's standing, and moderators' decisions are kept.

Reports made before count as they did (weight 1, not judged), so what was pending stays
exactly as close to the threshold as it was.
"""

from django.conf import settings
from django.db import migrations, models
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce


def weigh_existing_reports(apps, schema_editor):
    Moderation = apps.get_model("moderation", "Moderation")
    Report = apps.get_model("moderation", "Report")
    counts = (
        Report.objects.filter(moderation=OuterRef("pk"))
        .order_by()
        .values("moderation")
        .annotate(n=Count("pk"))
        .values("n")
    )
    Moderation.objects.update(report_weight=Coalesce(Subquery(counts), 0))


class Migration(migrations.Migration):

    dependencies = [
        ('moderation', '0002_report_by_the_platform'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='moderation',
            name='report_weight',
            field=models.DecimalField(decimal_places=2, default=0, max_digits=8),
        ),
        migrations.AddField(
            model_name='report',
            name='outcome',
            field=models.CharField(choices=[('pending', 'Not judged yet'), ('upheld', 'Upheld'), ('dismissed', 'Dismissed')], default='pending', max_length=10),
        ),
        migrations.AddField(
            model_name='report',
            name='weight',
            field=models.DecimalField(decimal_places=2, default=1, max_digits=4),
        ),
        migrations.AddIndex(
            model_name='report',
            index=models.Index(fields=['user', 'outcome'], name='moderation__user_id_1f1f34_idx'),
        ),
        migrations.RunPython(weigh_existing_reports, migrations.RunPython.noop),
    ]
