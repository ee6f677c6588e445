"""The rejection reasons a new install starts with (editable in the admin)."""

from django.db import migrations

REASONS = (
    "Not enough relevant experience",
    "Skills do not match the role",
    "Salary expectations too high",
    "Location or work authorization",
    "Another candidate was a better fit",
    "Position filled or closed",
    "Did not respond",
    "Candidate not interested",
    "Failed assessment or interview",
    "Other",
)


def add(apps, schema_editor):
    RejectionReason = apps.get_model("ats", "RejectionReason")
    for position, name in enumerate(REASONS):
        RejectionReason.objects.get_or_create(name=name, defaults={"position": position})


class Migration(migrations.Migration):
    dependencies = [("ats", "0001_initial")]
    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
