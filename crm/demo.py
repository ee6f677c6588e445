"""Demo candidates for `make run`: enough people to search, filter, facet, tag and merge.

Loaded through ``candidate_upsert`` like every other intake, so a second load matches each
person by email and adds nothing. Two of them are the same person under two addresses, so the
possible-duplicates queue has something to show.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from .models import Candidate
from .services.candidates import candidate_upsert
from .services.timeline import note_add

FIRST = ["Amara", "Bruno", "Chen", "Dana", "Elif", "Farid", "Greta", "Hiro", "Ines", "Jonas",
         "Kofi", "Lena", "Mateo", "Nadia", "Omar", "Priya", "Quinn", "Rosa", "Sven", "Tariq",
         "Uma", "Victor", "Wen", "Yara", "Zoltan", "Aisha", "Bas", "Carmen"]  # fmt: skip
LAST = ["Okafor", "Silva", "Wei", "Kowalski", "Yilmaz", "Haddad", "Lindqvist", "Tanaka",
        "Moreau", "Becker", "Mensah", "Novak", "Rossi", "Karimi", "Farouk", "Raman", "Doyle",
        "Ortega", "Berg", "Aziz", "Patel", "Dubois", "Zhang", "Costa", "Nagy", "Khan", "de Vries",
        "Navarro"]  # fmt: skip
ROLES = [
    ("Backend Engineer", ["Python", "Django", "PostgreSQL", "Docker"]),
    ("Frontend Developer", ["JavaScript", "TypeScript", "React", "CSS"]),
    ("Data Scientist", ["Python", "SQL", "pandas", "TensorFlow"]),
    ("DevOps Engineer", ["Kubernetes", "Terraform", "AWS", "Linux"]),
    ("Product Designer", ["Figma", "Adobe Photoshop", "Sketch"]),
    ("Account Executive", ["Salesforce", "HubSpot", "Microsoft Excel"]),
    ("Registered Nurse", ["Epic Systems", "Microsoft Office"]),
    ("Project Manager", ["Jira", "Confluence", "Microsoft Project", "Agile"]),
]
PLACES = [("Berlin", "Berlin", "DE"), ("London", "England", "GB"), ("Austin", "Texas", "US"),
          ("Toronto", "Ontario", "CA"), ("Lisbon", "Lisbon", "PT"), ("Bangalore", "Karnataka", "IN"),
          ("Amsterdam", "North Holland", "NL")]  # fmt: skip
SENIORITY = ["entry", "mid", "senior", "senior", "lead", "mid", "director"]
SOURCES = ["sourced", "referral", "career_page", "event", "agency", "import"]
TAGS = [["silver medalist"], [], ["alumni"], ["event lead"], [], ["boomerang"], []]
COMPANIES = ["Northwind", "Globex", "Initech", "Umbrella Health", "Hooli", "Vandelay", "Acme"]


def _people() -> list[dict]:
    people = []
    for i, (first, last) in enumerate(zip(FIRST, LAST, strict=True)):
        title, skills = ROLES[i % len(ROLES)]
        city, region, country = PLACES[i % len(PLACES)]
        slug = f"{first}.{last}".lower().replace(" ", "")
        people.append(
            {
                "first_name": first,
                "last_name": last,
                "email": f"{slug}@demo.talentloop.localhost",
                "phone": f"+1 512 555 01{i:02d}",
                "current_title": title,
                "current_company": COMPANIES[i % len(COMPANIES)],
                "city": city,
                "region": region,
                "country": country,
                "seniority": SENIORITY[i % len(SENIORITY)],
                "years_experience": 1 + (i * 3) % 15,
                "skills": skills,
                "tags": TAGS[i % len(TAGS)],
                "source": SOURCES[i % len(SOURCES)],
                "linkedin_url": f"https://www.linkedin.com/in/{slug.replace('.', '-')}-demo",
                "summary": f"{title} at {COMPANIES[i % len(COMPANIES)]}, based in {city}.",
            }
        )
    # The same person again, from an old event list: another address, no phone or LinkedIn, so
    # intake could not match them; the duplicates queue pairs them (similar name, same company).
    twin = dict(people[0])
    twin.update(email="a.okafor@demo.talentloop.localhost", phone="", linkedin_url="")
    twin.update(last_name="Okafor", source="event", tags=["event lead"])
    people.append(twin)
    return people


@transaction.atomic
def demo_candidates_load(actor=None) -> dict[str, int]:
    """Create the demo candidates that are missing; returns how many were created and how many
    demo candidates exist. Idempotent: matched by email, an existing person is left as is."""
    created = 0
    now = timezone.now()
    for i, person in enumerate(_people()):
        if Candidate.objects.filter(email=person["email"]).exists():
            continue
        data = {key: value for key, value in person.items() if key != "source"}
        result = candidate_upsert(data=data, source=person["source"], origin="import")
        if not result.created:
            continue
        created += 1
        if i % 3 == 0:
            note_add(
                candidate=result.candidate,
                body="Strong screen last spring; asked to hear about senior roles.",
                actor=actor,
            )
        active = now - timedelta(days=(i * 11) % 200)
        Candidate.objects.filter(pk=result.candidate.pk).update(last_activity_at=active)
    total = Candidate.objects.filter(email__endswith="@demo.talentloop.localhost").count()
    return {"candidates_created": created, "candidates_total": total}
