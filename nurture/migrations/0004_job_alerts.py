"""Job alerts: the JobAlertItem table (what job went to whom, once ever) and the built-in "Job
alerts" sequence (topic job_alerts, one email step; see nurture/builtin.py JOB_ALERTS and
nurture/services/job_alerts.py).

A frozen copy of the definition: a migration must not import app code that changes later. Only a
missing key is created, so a second run does nothing and a recruiter's edits are kept.
"""

import django.db.models.deletion
from django.db import migrations, models

JOB_ALERTS = {
    "builtin_key": "job_alerts",
    "name": "Job alerts",
    "topic": "job_alerts",
    "fields": {
        "stop_on_application": False,
        "repeat_last_every_days": None,
        "quiet_hours": False,
        "adaptive": False,
        "cold_after": 0,
    },
    "steps": [
        {
            "channel": "email",
            "delay_hours": 0,
            "delay_from": "previous",
            "subject": "New at {{ company.name }}: {{ jobs.headline }}",
            "body": 'Hi {{ candidate.first_name|default("there", true) }},\n'
            "\n"
            "Here is what has opened at {{ company.name }} that fits what you told us you "
            "are looking for:\n"
            "\n"
            "{{ jobs.list }}\n"
            "\n"
            "Every open role: {{ links.careers }}\n"
            "\n"
            "You get these because you joined our talent community and asked for job "
            "alerts. To change which jobs and places you hear about, or how often (as they "
            "come, weekly or monthly), use the link below.\n"
            "\n"
            "Best,\n"
            "{{ recruiter.name }}\n"
            "{{ company.name }}\n"
            "\n"
            "--\n"
            "Manage what we send you: {{ links.preferences }}\n",
            "task_kind": "",
        }
    ],
}


def forwards(apps, schema_editor):
    sequence_model = apps.get_model("nurture", "Sequence")
    step_model = apps.get_model("nurture", "Step")
    if sequence_model.objects.filter(builtin_key=JOB_ALERTS["builtin_key"]).exists():
        return
    sequence = sequence_model.objects.create(
        name=JOB_ALERTS["name"],
        builtin_key=JOB_ALERTS["builtin_key"],
        owner=None,
        topic=JOB_ALERTS["topic"],
        **JOB_ALERTS["fields"],
    )
    step_model.objects.bulk_create(
        step_model(sequence=sequence, position=position, **step)
        for position, step in enumerate(JOB_ALERTS["steps"])
    )


class Migration(migrations.Migration):
    dependencies = [
        ("ats", "0005_i13_rediscover_job_skills"),
        ("crm", "0010_preferences_events_topic"),
        ("nurture", "0003_events_topic"),
    ]

    operations = [
        migrations.CreateModel(
            name="JobAlertItem",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("created_at", models.DateTimeField()),
                (
                    "candidate",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="job_alert_items",
                        to="crm.candidate",
                    ),
                ),
                (
                    "job",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="+", to="ats.job"
                    ),
                ),
                (
                    "message",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="job_alert_items",
                        to="nurture.message",
                    ),
                ),
            ],
            options={
                "ordering": ["-created_at", "-id"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("candidate", "job"), name="nurture_job_alert_once"
                    )
                ],
            },
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
