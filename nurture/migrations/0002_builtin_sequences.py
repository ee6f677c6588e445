"""The built-in sequences every install starts with (see nurture/builtin.py).

A frozen copy: a migration must not import app code that changes later. Only missing keys are
created, so a second run does nothing and a recruiter's edits to these sequences are kept.
"""

from django.db import migrations

BUILTIN_SEQUENCES = [
    {
        "builtin_key": "new_applicant_welcome",
        "name": "New applicant welcome",
        "fields": {"stop_on_application": False, "repeat_last_every_days": None},
        "steps": [
            {
                "channel": "email",
                "delay_hours": 0,
                "delay_from": "previous",
                "subject": "Thanks for applying to {{ company.name }}",
                "body": 'Hi {{ candidate.first_name|default("there", true) }},\n\nThank you for applying{% if job.title %} for the {{ job.title }} role{% endif %}. A real person reads every application, and you will hear back from us either way.\n\nWhile you wait, here is everything else we are hiring for: {{ links.careers }}\n\nBest,\n{{ recruiter.name }}\n{{ company.name }}\n\n--\nManage what we send you: {{ links.preferences }}\n',
                "task_kind": "",
            },
            {
                "channel": "email",
                "delay_hours": 72,
                "delay_from": "previous",
                "subject": "What happens after you apply",
                "body": 'Hi {{ candidate.first_name|default("there", true) }},\n\nA quick note on what comes next, so nothing is a mystery:\n\n1. A recruiter reads your application, usually within a week.\n2. If there is a fit, we set up a short call to get to know each other.\n3. Then you meet the team, and we decide quickly after that.\n\nQuestions, or has something changed on your side? Just reply; this reaches me, not a robot.\n\nBest,\n{{ recruiter.name }}\n{{ company.name }}\n\n--\nManage what we send you: {{ links.preferences }}\n',
                "task_kind": "",
            },
            {
                "channel": "email",
                "delay_hours": 96,
                "delay_from": "previous",
                "subject": "A week on: where things stand",
                "body": 'Hi {{ candidate.first_name|default("there", true) }},\n\nIt has been a week since you applied, and we have not forgotten you. Your application is still with us, and we will be in touch as soon as there is news.\n\nIf this role turns out not to be the one, we would still like to stay in touch. Our open roles are always here: {{ links.careers }}\n\nBest,\n{{ recruiter.name }}\n{{ company.name }}\n\n--\nManage what we send you: {{ links.preferences }}\n',
                "task_kind": "",
            },
        ],
    },
    {
        "builtin_key": "silver_medalist",
        "name": "Silver medalist re-engagement",
        "fields": {"stop_on_application": False, "repeat_last_every_days": 30},
        "steps": [
            {
                "channel": "email",
                "delay_hours": 168,
                "delay_from": "enrollment",
                "subject": "It was great getting to know you",
                "body": 'Hi {{ candidate.first_name|default("there", true) }},\n\nYou made it a long way in our process, and the decision was genuinely close. We do not want to lose touch with someone like you.\n\nI will check in now and then when something comes up that could fit. No need to do anything; reply whenever you like.\n\nBest,\n{{ recruiter.name }}\n{{ company.name }}\n\n--\nManage what we send you: {{ links.preferences }}\n',
                "task_kind": "",
            },
            {
                "channel": "email",
                "delay_hours": 720,
                "delay_from": "enrollment",
                "subject": "A few roles you might like",
                "body": 'Hi {{ candidate.first_name|default("there", true) }},\n\nWe have opened some new roles since we last spoke. Take a look, and if one catches your eye, reply and I will fast-track you: you have already met the team.\n\n{{ links.careers }}\n\nBest,\n{{ recruiter.name }}\n{{ company.name }}\n\n--\nManage what we send you: {{ links.preferences }}\n',
                "task_kind": "",
            },
            {
                "channel": "email",
                "delay_hours": 1440,
                "delay_from": "enrollment",
                "subject": "How are things on your side?",
                "body": 'Hi {{ candidate.first_name|default("there", true) }},\n\nJust checking in. A new job, new interests, a move? Tell me in a line or two and I will keep it in mind when the right role opens.\n\nBest,\n{{ recruiter.name }}\n{{ company.name }}\n\n--\nManage what we send you: {{ links.preferences }}\n',
                "task_kind": "",
            },
            {
                "channel": "email",
                "delay_hours": 2160,
                "delay_from": "enrollment",
                "subject": "Shall we keep you posted?",
                "body": 'Hi {{ candidate.first_name|default("there", true) }},\n\nIt has been a few months. We would love to think of you first when a role like yours opens up. Would you like that?\n\nYes, keep me posted: {{ links.keep_me_posted }}\n\nIf the timing is not right, no hard feelings; you can change what you hear from us any time with the link below.\n\nBest,\n{{ recruiter.name }}\n{{ company.name }}\n\n--\nManage what we send you: {{ links.preferences }}\n',
                "task_kind": "",
            },
            {
                "channel": "email",
                "delay_hours": 2880,
                "delay_from": "enrollment",
                "subject": "Your monthly check-in from {{ company.name }}",
                "body": 'Hi {{ candidate.first_name|default("there", true) }},\n\nHere is our short monthly note. These are the roles open right now: {{ links.careers }}\n\nIf the timing is right for you, reply and we will talk. If not, that is fine too; I will check in again next month.\n\nBest,\n{{ recruiter.name }}\n{{ company.name }}\n\n--\nManage what we send you: {{ links.preferences }}\n',
                "task_kind": "",
            },
        ],
    },
    {
        "builtin_key": "passive_nurture",
        "name": "Passive nurture, 7 touches",
        "fields": {"stop_on_application": True, "repeat_last_every_days": None},
        "steps": [
            {
                "channel": "email",
                "delay_hours": 0,
                "delay_from": "enrollment",
                "subject": "Hello from {{ company.name }}",
                "body": 'Hi {{ candidate.first_name|default("there", true) }},\n\nI came across your profile{% if candidate.current_title %} and your work as {{ candidate.current_title }}{% endif %}, and I wanted to say hello. No pitch today: we simply like to know good people before we need them.\n\nIf you are ever curious about what we do, everything is here: {{ links.careers }}\n\nBest,\n{{ recruiter.name }}\n{{ company.name }}\n\n--\nManage what we send you: {{ links.preferences }}\n',
                "task_kind": "",
            },
            {
                "channel": "email",
                "delay_hours": 336,
                "delay_from": "enrollment",
                "subject": "What it is like to work here",
                "body": 'Hi {{ candidate.first_name|default("there", true) }},\n\nPeople often ask what a normal week at {{ company.name }} looks like. Small teams, real ownership, and time to do things properly.\n\nIf you ever want the honest version over a 20-minute call, just reply.\n\nBest,\n{{ recruiter.name }}\n{{ company.name }}\n\n--\nManage what we send you: {{ links.preferences }}\n',
                "task_kind": "",
            },
            {
                "channel": "email",
                "delay_hours": 1008,
                "delay_from": "enrollment",
                "subject": "How we hire (no surprises)",
                "body": 'Hi {{ candidate.first_name|default("there", true) }},\n\nHiring processes can feel like a black box, so here is ours: one call with a recruiter, one conversation with the team about real work, and an answer within days, not weeks.\n\nNothing to do now; it is good to know for later.\n\nBest,\n{{ recruiter.name }}\n{{ company.name }}\n\n--\nManage what we send you: {{ links.preferences }}\n',
                "task_kind": "",
            },
            {
                "channel": "email",
                "delay_hours": 2016,
                "delay_from": "enrollment",
                "subject": "Roles open right now",
                "body": 'Hi {{ candidate.first_name|default("there", true) }},\n\nA quick look at what we are hiring for at the moment: {{ links.careers }}\n\nIf something is close but not quite right, reply anyway. Roles change, and I would rather know what you are looking for.\n\nBest,\n{{ recruiter.name }}\n{{ company.name }}\n\n--\nManage what we send you: {{ links.preferences }}\n',
                "task_kind": "",
            },
            {
                "channel": "email",
                "delay_hours": 3024,
                "delay_from": "enrollment",
                "subject": "A quick update from {{ company.name }}",
                "body": 'Hi {{ candidate.first_name|default("there", true) }},\n\nThings have moved since I last wrote: new projects, new people, and a few new roles. Our careers page has the latest: {{ links.careers }}\n\nHow are things with you?\n\nBest,\n{{ recruiter.name }}\n{{ company.name }}\n\n--\nManage what we send you: {{ links.preferences }}\n',
                "task_kind": "",
            },
            {
                "channel": "email",
                "delay_hours": 4368,
                "delay_from": "enrollment",
                "subject": "Half a year on",
                "body": 'Hi {{ candidate.first_name|default("there", true) }},\n\nIt has been about six months since I first said hello. If your plans have changed, or you are starting to look around, I would be glad to hear from you; just reply.\n\nBest,\n{{ recruiter.name }}\n{{ company.name }}\n\n--\nManage what we send you: {{ links.preferences }}\n',
                "task_kind": "",
            },
            {
                "channel": "email",
                "delay_hours": 6048,
                "delay_from": "enrollment",
                "subject": "My last note for now",
                "body": 'Hi {{ candidate.first_name|default("there", true) }},\n\nThis is my last note for a while; I do not want to crowd your inbox. The door stays open: whenever the timing is right, reply to this email or look at {{ links.careers }}.\n\nThank you for reading along.\n\nBest,\n{{ recruiter.name }}\n{{ company.name }}\n\n--\nManage what we send you: {{ links.preferences }}\n',
                "task_kind": "",
            },
        ],
    },
]


def create_missing(apps, definitions: list[dict]) -> list[str]:
    """Create each definition whose builtin_key is missing; never change an existing row."""
    sequence_model = apps.get_model("nurture", "Sequence")
    step_model = apps.get_model("nurture", "Step")
    existing = set(
        sequence_model.objects.filter(builtin_key__isnull=False).values_list(
            "builtin_key", flat=True
        )
    )
    created = []
    for definition in definitions:
        if definition["builtin_key"] in existing:
            continue
        sequence = sequence_model.objects.create(
            name=definition["name"],
            builtin_key=definition["builtin_key"],
            owner=None,
            topic="nurture",
            **definition["fields"],
        )
        step_model.objects.bulk_create(
            step_model(sequence=sequence, position=position, **step)
            for position, step in enumerate(definition["steps"])
        )
        created.append(definition["builtin_key"])
    return created


def forwards(apps, schema_editor):
    create_missing(apps, BUILTIN_SEQUENCES)


class Migration(migrations.Migration):
    dependencies = [("nurture", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
