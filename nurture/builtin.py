"""The sequences every install starts with (``builtin_key`` set, no owner, topic "nurture"),
and the "Job alerts" sequence (topic "job_alerts", :data:`JOB_ALERTS`), created by migration
0004 and filled by nurture.services.job_alerts, never by the dispatcher.

Migration 0002 creates them from a frozen copy of :data:`BUILTIN_SEQUENCES` (a migration must
not import code that changes later); tests check that the copy and this module agree. They are
created once and then belong to the recruiters:
:func:`nurture.services.sequences.ensure_builtin_sequences` adds only the ones whose key is
missing and never touches an existing row, so edits survive every migrate.
To change the texts of installs that already have them, write a new data migration.
"""

from __future__ import annotations

DAY = 24
WEEK = 7 * DAY
FOOTER = "\n\n--\nManage what we send you: {{ links.preferences }}\n"
HI = 'Hi {{ candidate.first_name|default("there", true) }},\n\n'
SIGN = "\n\nBest,\n{{ recruiter.name }}\n{{ company.name }}"


def _email(delay_hours: int, delay_from: str, subject: str, body: str) -> dict:
    return {
        "channel": "email",
        "delay_hours": delay_hours,
        "delay_from": delay_from,
        "subject": subject,
        "body": HI + body.strip() + SIGN + FOOTER,
        "task_kind": "",
    }


WELCOME = {
    "builtin_key": "new_applicant_welcome",
    "name": "New applicant welcome",
    "fields": {"stop_on_application": False, "repeat_last_every_days": None},
    "steps": [
        _email(
            0,
            "previous",
            "Thanks for applying to {{ company.name }}",
            """
Thank you for applying{% if job.title %} for the {{ job.title }} role{% endif %}. A real person reads every application, and you will hear back from us either way.

While you wait, here is everything else we are hiring for: {{ links.careers }}
""",
        ),
        _email(
            3 * DAY,
            "previous",
            "What happens after you apply",
            """
A quick note on what comes next, so nothing is a mystery:

1. A recruiter reads your application, usually within a week.
2. If there is a fit, we set up a short call to get to know each other.
3. Then you meet the team, and we decide quickly after that.

Questions, or has something changed on your side? Just reply; this reaches me, not a robot.
""",
        ),
        _email(
            4 * DAY,
            "previous",
            "A week on: where things stand",
            """
It has been a week since you applied, and we have not forgotten you. Your application is still with us, and we will be in touch as soon as there is news.

If this role turns out not to be the one, we would still like to stay in touch. Our open roles are always here: {{ links.careers }}
""",
        ),
    ],
}

SILVER_MEDALIST = {
    "builtin_key": "silver_medalist",
    "name": "Silver medalist re-engagement",
    "fields": {"stop_on_application": False, "repeat_last_every_days": 30},
    "steps": [
        _email(
            7 * DAY,
            "enrollment",
            "It was great getting to know you",
            """
You made it a long way in our process, and the decision was genuinely close. We do not want to lose touch with someone like you.

I will check in now and then when something comes up that could fit. No need to do anything; reply whenever you like.
""",
        ),
        _email(
            30 * DAY,
            "enrollment",
            "A few roles you might like",
            """
We have opened some new roles since we last spoke. Take a look, and if one catches your eye, reply and I will fast-track you: you have already met the team.

{{ links.careers }}
""",
        ),
        _email(
            60 * DAY,
            "enrollment",
            "How are things on your side?",
            """
Just checking in. A new job, new interests, a move? Tell me in a line or two and I will keep it in mind when the right role opens.
""",
        ),
        _email(
            90 * DAY,
            "enrollment",
            "Shall we keep you posted?",
            """
It has been a few months. We would love to think of you first when a role like yours opens up. Would you like that?

Yes, keep me posted: {{ links.keep_me_posted }}

If the timing is not right, no hard feelings; you can change what you hear from us any time with the link below.
""",
        ),
        _email(
            120 * DAY,
            "enrollment",
            "Your monthly check-in from {{ company.name }}",
            """
Here is our short monthly note. These are the roles open right now: {{ links.careers }}

If the timing is right for you, reply and we will talk. If not, that is fine too; I will check in again next month.
""",
        ),
    ],
}

PASSIVE = {
    "builtin_key": "passive_nurture",
    "name": "Passive nurture, 7 touches",
    "fields": {"stop_on_application": True, "repeat_last_every_days": None},
    "steps": [
        _email(
            0,
            "enrollment",
            "Hello from {{ company.name }}",
            """
I came across your profile{% if candidate.current_title %} and your work as {{ candidate.current_title }}{% endif %}, and I wanted to say hello. No pitch today: we simply like to know good people before we need them.

If you are ever curious about what we do, everything is here: {{ links.careers }}
""",
        ),
        _email(
            2 * WEEK,
            "enrollment",
            "What it is like to work here",
            """
People often ask what a normal week at {{ company.name }} looks like. Small teams, real ownership, and time to do things properly.

If you ever want the honest version over a 20-minute call, just reply.
""",
        ),
        _email(
            6 * WEEK,
            "enrollment",
            "How we hire (no surprises)",
            """
Hiring processes can feel like a black box, so here is ours: one call with a recruiter, one conversation with the team about real work, and an answer within days, not weeks.

Nothing to do now; it is good to know for later.
""",
        ),
        _email(
            12 * WEEK,
            "enrollment",
            "Roles open right now",
            """
A quick look at what we are hiring for at the moment: {{ links.careers }}

If something is close but not quite right, reply anyway. Roles change, and I would rather know what you are looking for.
""",
        ),
        _email(
            18 * WEEK,
            "enrollment",
            "A quick update from {{ company.name }}",
            """
Things have moved since I last wrote: new projects, new people, and a few new roles. Our careers page has the latest: {{ links.careers }}

How are things with you?
""",
        ),
        _email(
            26 * WEEK,
            "enrollment",
            "Half a year on",
            """
It has been about six months since I first said hello. If your plans have changed, or you are starting to look around, I would be glad to hear from you; just reply.
""",
        ),
        _email(
            36 * WEEK,
            "enrollment",
            "My last note for now",
            """
This is my last note for a while; I do not want to crowd your inbox. The door stays open: whenever the timing is right, reply to this email or look at {{ links.careers }}.

Thank you for reading along.
""",
        ),
    ],
}

BUILTIN_SEQUENCES = [WELCOME, SILVER_MEDALIST, PASSIVE]

# The job-alert mail: one email step that nurture.services.job_alerts renders with the jobs a
# person has not been told about yet ({{ jobs.list }}; the dispatcher never sends it). Quiet
# hours off: an alert is timely news the person asked for, and digests go when they fall due.
JOB_ALERTS_KEY = "job_alerts"
JOB_ALERTS = {
    "builtin_key": JOB_ALERTS_KEY,
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
        _email(
            0,
            "previous",
            "New at {{ company.name }}: {{ jobs.headline }}",
            """
Here is what has opened at {{ company.name }} that fits what you told us you are looking for:

{{ jobs.list }}

Every open role: {{ links.careers }}

You get these because you joined our talent community and asked for job alerts. To change which jobs and places you hear about, or how often (as they come, weekly or monthly), use the link below.
""",
        ),
    ],
}
