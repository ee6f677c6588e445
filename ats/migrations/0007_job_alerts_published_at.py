"""Job.published_at: when a job last went public (job alerts count a job as new from then).
Jobs already published get their opening time (or, never opened, their creation time)."""

from django.db import migrations, models
from django.db.models.functions import Coalesce


def backfill(apps, schema_editor):
    job_model = apps.get_model("ats", "Job")
    job_model.objects.filter(published=True, published_at__isnull=True).update(
        published_at=Coalesce("opened_at", "created_at")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("ats", "0006_application_left_company"),
    ]

    operations = [
        migrations.AddField(
            model_name="job",
            name="published_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
