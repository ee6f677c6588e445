"""A default offer letter template, and the default interview plan for jobs that exist already
(new jobs get it from ``ats.services.jobs.job_create``)."""

from django.db import migrations

OFFER_LETTER = """Dear {{ candidate.first_name }},

We are delighted to offer you the position of {{ job.title }} at {{ company }}, and we hope you will join us.

Your starting salary will be {{ offer.salary }} {{ offer.currency }} {{ offer.period }}, and your first day will be {{ offer.start_date }}.
{% if offer.bonus %}
Bonus: {{ offer.bonus }}
{% endif %}{% if offer.equity %}
Equity: {{ offer.equity }}
{% endif %}
This offer is valid until {{ offer.expires_on }}. Please accept or decline it through the link in our email.

We look forward to working with you.

{{ sender.name }}
{{ company }}
"""


# The plan as it was when this migration was written (a migration never reads app code, which
# may change after it): stage kind -> [(name, minutes, focus attributes, questions)].
DEFAULT_INTERVIEW_PLAN = {
    "screen": [
        (
            "Recruiter screen",
            30,
            ["Motivation", "Communication", "Logistics"],
            [
                "What are you looking for in your next role?",
                "What is your notice period and where would you work from?",
            ],
        )
    ],
    "interview": [
        (
            "Technical interview",
            60,
            ["Role skills", "Problem solving", "Communication"],
            [
                "Walk me through a piece of work you are proud of.",
                "Tell me about a problem you could not solve at first. What did you do?",
            ],
        )
    ],
    "final": [
        (
            "Final interview",
            45,
            ["Collaboration", "Ownership", "Values"],
            [
                "Tell me about a disagreement with a colleague and how it ended.",
                "What would you want to achieve in your first six months?",
            ],
        )
    ],
}


def forwards(apps, schema_editor):
    OfferTemplate = apps.get_model("ats", "OfferTemplate")
    OfferTemplate.objects.get_or_create(name="Standard offer", defaults={"body": OFFER_LETTER})
    Stage = apps.get_model("ats", "Stage")
    InterviewType = apps.get_model("ats", "InterviewType")
    for stage in Stage.objects.filter(kind__in=list(DEFAULT_INTERVIEW_PLAN)):
        if InterviewType.objects.filter(job_id=stage.job_id, stage=stage).exists():
            continue
        for position, (name, minutes, attributes, questions) in enumerate(
            DEFAULT_INTERVIEW_PLAN[stage.kind]
        ):
            if InterviewType.objects.filter(job_id=stage.job_id, name=name).exists():
                continue
            InterviewType.objects.create(
                job_id=stage.job_id,
                stage=stage,
                name=name,
                duration_minutes=minutes,
                focus_attributes=attributes,
                questions=questions,
                position=position,
            )


class Migration(migrations.Migration):
    dependencies = [("ats", "0003_interviews_scorecards_offers")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
