"""Candidate search at scale: p50/p95 of representative searches through the code paths the
page uses, on a large generated database: the rows (``candidate_search`` without facets, what
the page shows as the recruiter types), with their ratio to the bare SQL of the same
statements (executed straight on the database cursor, no ORM or Python), and the counts
(``search_facets``: the total and facets, which the page asks for in a second request).

    python -m bench.candidates [ROWS]     # BENCH_CANDIDATES rows (default 1,000,000)

It works in its own database, ``talentloop_bench`` (``BENCH_DATABASE``) on the server the
settings point at, so the development database is not flooded: it creates and migrates it,
loads the rows once with COPY (the search trigger fills ``search_vector`` during the load),
runs ANALYZE, and on later runs only tops the rows up to BENCH_CANDIDATES. The COPY column list
comes from the model (see ``copy_columns``). Numbers only: nothing here asserts a timing.
``BENCH_ROUNDS`` (default 5) repeats each search.
"""

from __future__ import annotations

import json
import random
import statistics
import sys
import time
import unicodedata
from datetime import UTC, datetime, timedelta
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.http import QueryDict
from faker import Faker

from bench import _setup

ROOT = Path(__file__).resolve().parent.parent
N = _setup.size("BENCH_CANDIDATES", 1_000_000)
ROUNDS = _setup.number("BENCH_ROUNDS", 5)
SEED = 20250601
BLOCK = 50_000  # rows per COPY transaction: an interrupted load resumes from the last block
EMAIL_DOMAIN = "bench.talentloop.invalid"
NOW = datetime(2025, 6, 1, tzinfo=UTC)

CITIES = [
    ("New York", "New York", "US", 9), ("San Francisco", "California", "US", 6),
    ("Austin", "Texas", "US", 4), ("Chicago", "Illinois", "US", 4), ("Seattle", "Washington", "US", 4),
    ("Boston", "Massachusetts", "US", 3), ("Denver", "Colorado", "US", 2), ("Atlanta", "Georgia", "US", 2),
    ("Toronto", "Ontario", "CA", 3), ("Vancouver", "British Columbia", "CA", 2),
    ("London", "England", "GB", 6), ("Manchester", "England", "GB", 2), ("Edinburgh", "Scotland", "GB", 1),
    ("Dublin", "Leinster", "IE", 2), ("Berlin", "Berlin", "DE", 4), ("Munich", "Bavaria", "DE", 3),
    ("Hamburg", "Hamburg", "DE", 2), ("Paris", "Île-de-France", "FR", 4), ("Lyon", "Auvergne-Rhône-Alpes", "FR", 1),
    ("Amsterdam", "North Holland", "NL", 3), ("Madrid", "Madrid", "ES", 2), ("Barcelona", "Catalonia", "ES", 2),
    ("Lisbon", "Lisbon", "PT", 2), ("Warsaw", "Masovia", "PL", 2), ("Stockholm", "Stockholm", "SE", 2),
    ("Milan", "Lombardy", "IT", 2), ("Zurich", "Zurich", "CH", 1), ("Bangalore", "Karnataka", "IN", 5),
    ("Pune", "Maharashtra", "IN", 2), ("São Paulo", "São Paulo", "BR", 3), ("Mexico City", "CDMX", "MX", 2),
    ("Sydney", "New South Wales", "AU", 2), ("Melbourne", "Victoria", "AU", 2), ("Singapore", "", "SG", 2),
]  # fmt: skip
# Role families: titles and the skills people in them list (names resolved by the taxonomy).
FAMILIES = {
    "backend": (["Software Engineer", "Backend Developer", "Python Developer", "Java Developer",
                 "Platform Engineer"], ["Python", "Java", "Go", "SQL", "PostgreSQL", "Docker",
                 "Kubernetes", "Amazon Web Services", "Git", "Linux", "Django", "Redis"]),
    "frontend": (["Frontend Developer", "Web Developer", "UI Engineer", "Full Stack Developer"],
                 ["JavaScript", "TypeScript", "React", "HTML", "CSS", "Node.js", "Git", "Vue.js"]),
    "data": (["Data Engineer", "Data Scientist", "Machine Learning Engineer", "Data Analyst"],
             ["Python", "SQL", "Apache Spark", "Tableau", "R", "TensorFlow", "pandas", "SAS",
              "Microsoft Excel", "Snowflake"]),
    "devops": (["DevOps Engineer", "Site Reliability Engineer", "Cloud Engineer", "Systems Administrator"],
               ["Kubernetes", "Terraform", "Docker", "Amazon Web Services", "Microsoft Azure",
                "Linux", "Ansible", "Jenkins", "Python"]),
    "sales": (["Account Executive", "Sales Manager", "Business Development Representative",
               "Customer Success Manager"], ["Salesforce", "HubSpot", "Microsoft Excel",
               "Microsoft PowerPoint", "LinkedIn", "Zoom"]),
    "marketing": (["Marketing Manager", "Content Strategist", "SEO Specialist", "Product Marketing Manager"],
                  ["Google Analytics", "HubSpot", "Adobe Photoshop", "WordPress", "Facebook",
                   "Microsoft Excel", "Adobe Illustrator"]),
    "design": (["Product Designer", "UX Designer", "Graphic Designer"],
               ["Figma", "Adobe Photoshop", "Adobe Illustrator", "Sketch", "Adobe InDesign"]),
    "finance": (["Financial Analyst", "Accountant", "Controller"],
                ["Microsoft Excel", "SAP", "QuickBooks", "Oracle PeopleSoft", "Tableau"]),
    "health": (["Registered Nurse", "Clinical Coordinator", "Nurse Practitioner"],
               ["Epic Systems", "MEDITECH software", "Microsoft Office", "eClinicalWorks EHR software"]),
    "project": (["Project Manager", "Program Manager", "Scrum Master", "Product Manager"],
                ["Jira", "Microsoft Project", "Confluence", "Microsoft Excel", "Agile", "Asana"]),
}  # fmt: skip
SENIORITY = [("intern", 2, 0, 1), ("entry", 12, 0, 2), ("mid", 30, 2, 6), ("senior", 30, 5, 15),
             ("lead", 10, 8, 20), ("manager", 8, 6, 20), ("director", 5, 10, 25),
             ("executive", 3, 15, 35)]  # fmt: skip
TITLE_PREFIX = {"intern": "Intern ", "entry": "Junior ", "senior": "Senior ", "lead": "Lead "}
SOURCES = [("sourced", 35), ("career_page", 25), ("referral", 10), ("job_board", 12), ("agency", 5),
           ("event", 4), ("talent_community", 5), ("import", 3), ("alumni", 1)]  # fmt: skip
TAGS = ["silver medalist", "boomerang", "relocation ok", "visa needed", "meetup 2024",
        "hackathon", "diversity pipeline", "referral bonus", "hot lead", "passive", "contractor",
        "remote only", "conference 2025", "alumni network", "do not poach"]  # fmt: skip
SENTENCES = [
    "{years} years of experience as a {title} at {company}.",
    "Built and maintained systems with {s1} and {s2}, serving customers across {country}.",
    "Led a team of {team} people delivering projects on time in {city}.",
    "Improved reporting with {s1}, cutting the monthly close by {pct} percent.",
    "Previously worked at {company2} as {title2}, focused on {s2}.",
    "Mentored junior colleagues and ran internal workshops on {s3}.",
    "Holds a degree in {field} and certifications in {s1}.",
    "Migrated legacy workloads to {s3}, reducing costs and incidents.",
]
FIELDS = ["Computer Science", "Economics", "Nursing", "Business Administration", "Mathematics",
          "Design", "Marketing", "Physics", "Finance", "Psychology"]  # fmt: skip
COLUMNS = (
    "first_name", "last_name", "email", "phone", "linkedin_url", "github_url", "website_url",
    "city", "region", "country", "remote_preference", "timezone", "current_title",
    "current_company", "seniority", "years_experience", "summary", "work_history", "education",
    "skill_slugs", "skills_text", "tags", "source", "source_detail", "owner_id", "interest_level",
    "interest_timing", "preferred_channel", "do_not_contact", "do_not_contact_reason",
    "do_not_contact_at", "archived", "archived_at", "resume_text", "edited_fields",
    "created_at", "updated_at", "last_activity_at",
)  # fmt: skip


# --------------------------------------------------------------------------- database


def copy_columns() -> tuple[list[str], tuple]:
    """The COPY column list, taken from the model: the columns ``_person`` writes, then every
    other NOT NULL column with the value Django would give a new row (the field's default, or
    now for ``auto_now`` fields), so a NOT NULL column added later cannot break the load.
    Nullable columns the rows do not name are left to the database (NULL, or what the search
    trigger computes). Returns the columns and the values appended to every row."""
    from crm.models import Candidate  # noqa: PLC0415 - after django.setup()

    fields = {field.column: field for field in Candidate._meta.concrete_fields}
    unknown = [column for column in COLUMNS if column not in fields]
    if unknown:
        raise SystemExit(
            f"bench: crm.Candidate has no column {', '.join(unknown)}: update COLUMNS and "
            "_person in bench/candidates.py"
        )
    blank = Candidate()
    columns, values = [*COLUMNS], []
    for column, field in fields.items():
        if column in COLUMNS or field.primary_key:
            continue
        value = field.get_db_prep_save(field.pre_save(blank, add=True), connection)
        if value is None and not field.null:
            raise SystemExit(
                f"bench: crm.Candidate.{field.name} is NOT NULL and has no default: add it to "
                "COLUMNS and _person in bench/candidates.py"
            )
        if value is not None:
            columns.append(column)
            values.append(value)
    return columns, tuple(values)


def _ascii(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in folded.lower() if ch.isalnum())


def _pools() -> dict:
    from crm.selectors.search import skill_slug  # noqa: PLC0415 - after django.setup()

    fake = Faker(["en_US", "en_GB", "de_DE", "fr_FR", "es_ES", "en_IN", "pt_BR", "nl_NL", "pl_PL"])
    fake.seed_instance(SEED)
    firsts = sorted({fake.first_name() for _ in range(6000)})
    lasts = sorted({fake.last_name() for _ in range(9000)})
    companies = sorted({fake.company() for _ in range(1500)})

    def skill(name: str) -> tuple[str, str]:
        slug = skill_slug(name)
        return slug, _skill_name(slug, name)

    families = {
        key: (titles, [skill(name) for name in names]) for key, (titles, names) in FAMILIES.items()
    }
    popular = [skill(name) for name in _taxonomy_names()]
    return {
        "first": [f for f in firsts if _ascii(f)],
        "last": [name for name in lasts if _ascii(name)],
        "companies": companies,
        "families": families,
        "popular": popular,
        "cities": CITIES,
        "city_weights": [c[3] for c in CITIES],
    }


def _skill_name(slug: str, fallback: str) -> str:
    from crm.selectors.search import skill_label  # noqa: PLC0415 - after django.setup()

    label = skill_label(slug)
    return fallback if slug.startswith("x-") else label


def _taxonomy_names(limit: int = 300) -> list[str]:
    """The most widely used skills from the taxonomy TSV, when it is there."""
    path = ROOT / "parsing" / "skills" / "taxonomy.tsv"
    if not path.exists():
        return [name for _, names in FAMILIES.values() for name in names]
    rows = []
    with path.open(encoding="utf-8") as handle:
        header = handle.readline().rstrip("\n").split("\t")
        name_at, used_at = header.index("name"), header.index("occupations")
        for line in handle:
            cells = line.rstrip("\n").split("\t")
            rows.append((int(cells[used_at] or 0), cells[name_at]))
    rows.sort(reverse=True)
    return [name for _, name in rows[:limit]]


def _person(i: int, rng: random.Random, pools: dict, owner_id: int) -> tuple:
    first, last = rng.choice(pools["first"]), rng.choice(pools["last"])
    city, region, country, _ = rng.choices(pools["cities"], pools["city_weights"])[0]
    family = rng.choice(list(pools["families"]))
    titles, family_skills = pools["families"][family]
    level, _, low, high = rng.choices(SENIORITY, [s[1] for s in SENIORITY])[0]
    years = round(rng.uniform(low, high), 1)
    base_title = rng.choice(titles)
    title = TITLE_PREFIX.get(level, "") + base_title
    skills = rng.sample(family_skills, min(len(family_skills), rng.randint(3, 6)))
    skills += [s for s in rng.sample(pools["popular"][:120], rng.randint(0, 3)) if s not in skills]
    skills.sort(key=lambda s: s[1].lower())
    names = [s[1] for s in skills]
    company, company2 = rng.choice(pools["companies"]), rng.choice(pools["companies"])
    words = {
        "years": years, "title": base_title.lower(), "company": company, "country": country,
        "s1": names[0], "s2": names[-1], "s3": rng.choice(names), "team": rng.randint(2, 15),
        "pct": rng.randint(10, 60), "city": city, "company2": company2,
        "title2": rng.choice(titles).lower(), "field": rng.choice(FIELDS),
    }  # fmt: skip
    resume = " ".join(s.format(**words) for s in rng.sample(SENTENCES, rng.randint(3, 5)))
    created = NOW - timedelta(days=rng.uniform(0, 5 * 365))
    active = None if rng.random() < 0.03 else created + (NOW - created) * rng.random()
    tags = rng.sample(TAGS, rng.choice((0, 0, 0, 1, 1, 2)))
    dnc, archived = rng.random() < 0.02, rng.random() < 0.05
    handle = f"{_ascii(first)}-{_ascii(last)}-{i}"
    return (
        first, last, f"{handle.replace('-', '.')}@{EMAIL_DOMAIN}",
        f"+1555{rng.randrange(10**7):07d}",
        f"https://www.linkedin.com/in/{handle}" if rng.random() < 0.6 else "", "", "",
        city, region, country, "", "", title, company, level, years,
        f"{title} with {years} years in {family}.", "[]", "[]",
        [s[0] for s in skills], ", ".join(names), tags,
        rng.choices([s[0] for s in SOURCES], [s[1] for s in SOURCES])[0], "bench",
        owner_id if rng.random() < 0.2 else None, "passive", "", "email",
        dnc, "asked not to be contacted" if dnc else "", created if dnc else None,
        archived, created if archived else None, resume, [], created, created, active,
    )  # fmt: skip


def load(owner_id: int, database: str) -> None:
    """Top the table up to N bench rows, one COPY transaction per block."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM crm_candidate WHERE email LIKE %s", [f"%@{EMAIL_DOMAIN}"]
        )
        have = cursor.fetchone()[0]
    if have >= N:
        note = f" (more than BENCH_CANDIDATES={N:,}: all are searched)" if have > N else ""
        print(f"bench: {have:,} bench candidates already loaded in {database}{note}")
        return
    pools = _pools()
    columns, defaults = copy_columns()
    print(f"bench: loading candidates {have:,}..{N:,} into {database} (COPY, trigger on)")
    if defaults:
        print(f"bench: model defaults for {', '.join(columns[len(COLUMNS) :])}")
    began = time.perf_counter()
    copy_sql = f"COPY crm_candidate ({', '.join(columns)}) FROM STDIN"
    for block in range(have, N, BLOCK):
        rng = random.Random(SEED * 1_000_003 + block)  # noqa: S311 - same block every run
        with transaction.atomic(), connection.cursor() as cursor, cursor.copy(copy_sql) as copy:
            for i in range(block, min(block + BLOCK, N)):
                copy.write_row(_person(i, rng, pools, owner_id) + defaults)
        done = min(block + BLOCK, N)
        rate = (done - have) / (time.perf_counter() - began)
        print(f"  {done:>9,} rows  {rate:,.0f} rows/s", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE crm_candidate")
    print(f"bench: loaded in {time.perf_counter() - began:,.0f} s (then VACUUM ANALYZE)")


# --------------------------------------------------------------------------- searches


def _misspell(word: str, rng: random.Random) -> str:
    """Swap two neighbouring letters inside the word (the commonest typo)."""
    if len(word) < 4:
        return word
    at = rng.randrange(1, len(word) - 2)
    return word[:at] + word[at + 1] + word[at] + word[at + 2 :]


def searches(rng: random.Random) -> list[tuple[str, str, dict, int]]:
    """(kind, label, query string values, pages to walk before the timed page)."""
    year_ago = (NOW - timedelta(days=365)).date().isoformat()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT first_name, last_name FROM crm_candidate TABLESAMPLE SYSTEM (1) "
            "REPEATABLE (7) WHERE length(last_name) > 5 AND length(first_name) > 4 LIMIT 4"
        )
        people = cursor.fetchall()
    typos = [
        ("misspelled name", f"{_misspell(f, rng)} {_misspell(last, rng)}", {}, 0)
        for f, last in people
    ]
    return [
        ("keyword", "python", {"q": "python"}, 0),
        ("keyword", "data engineer", {"q": "data engineer"}, 0),
        ("keyword", "kubernetes terraform", {"q": "kubernetes terraform"}, 0),
        ("keyword", "registered nurse", {"q": "registered nurse"}, 0),
        ("keyword", '"project manager" -jira', {"q": '"project manager" -jira'}, 0),
        ("filter only", "skills Python+SQL", {"skills": "Python, SQL"}, 0),
        ("filter only", "senior in DE", {"seniority": "senior", "country": "DE"}, 0),
        ("filter only", "tag silver medalist", {"tags": "silver medalist"}, 0),
        (
            "filter only",
            "5-10 yrs referral by created",
            {"min_years": "5", "max_years": "10", "source": "referral", "sort": "created"},
            0,
        ),
        (
            "keyword+3 filters",
            "python docker US senior",
            {"q": "python", "skills": "Docker", "country": "US", "seniority": "senior"},
            0,
        ),
        (
            "keyword+3 filters",
            "react Berlin 3+ yrs sourced",
            {"q": "react", "location": "Berlin", "min_years": "3", "source": "sourced"},
            0,
        ),
        (
            "keyword+3 filters",
            "sales GB boomerang mid/senior",
            {"q": "sales", "country": "GB", "tags": "boomerang", "seniority": ["mid", "senior"]},
            0,
        ),
        (
            "keyword+3 filters",
            "machine learning python 5+ active 1y",
            {
                "q": "machine learning",
                "skills": "Python",
                "min_years": "5",
                "active_after": year_ago,
            },
            0,
        ),
        *[(kind, label, {"q": label}, pages) for kind, label, _, pages in typos],
        ("deep page (21st)", "engineer, relevance", {"q": "engineer"}, 20),
        ("deep page (21st)", "country US, recent", {"country": "US"}, 20),
        ("deep page (21st)", "skills SQL, created", {"skills": "SQL", "sort": "created"}, 20),
    ]


def _params(values: dict, after: str | None = None):
    from crm.selectors.search import SearchParams  # noqa: PLC0415 - after django.setup()

    qd = QueryDict(mutable=True)
    for name, value in values.items():
        qd.setlist(name, value if isinstance(value, list) else [value])
    if after:
        qd["after"] = after
    params, errors = SearchParams.from_query(qd)
    if errors:
        raise SystemExit(f"bench: bad search {values}: {errors}")
    return params


def _capture(call):
    """Run ``call`` once, recording the SQL it sends; returns its result and the statements."""
    statements = []

    def record(execute, sql, params_, many, context):
        statements.append((sql, params_))
        return execute(sql, params_, many, context)

    with connection.execute_wrapper(record):
        result = call()
    return result, statements


def _bare(statements) -> tuple[float, list[str], float]:
    """Seconds to run the statements straight on the cursor, the indexes their plans use, and
    the sum of EXPLAIN ANALYZE's execution times (ms)."""
    indexes: list[str] = []
    explained = 0.0
    with connection.cursor() as cursor:
        raw = cursor.cursor  # the psycopg cursor: no Django in the way
        began = time.perf_counter()
        for sql, args in statements:
            raw.execute(sql, args)
            raw.fetchall()
        seconds = time.perf_counter() - began
        for sql, args in statements:
            raw.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql, args)
            plan = raw.fetchone()[0]
            plan = plan if isinstance(plan, list) else json.loads(plan)
            explained += plan[0]["Execution Time"]
            _walk(plan[0]["Plan"], indexes)
    return seconds, sorted(set(indexes)), explained


def _walk(node: dict, found: list[str]) -> None:
    if "Index Name" in node:
        found.append(node["Index Name"])
    for child in node.get("Plans", []):
        _walk(child, found)


def _percentiles(times: list[float]) -> tuple[float, float]:
    times = sorted(times)
    return statistics.median(times), times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]


def _timed(call, statements) -> tuple[list[float], list[float]]:
    samples, bares = [], []
    for _ in range(ROUNDS):
        began = time.perf_counter()
        call()
        samples.append(time.perf_counter() - began)
        bares.append(_bare(statements)[0])
    return samples, bares


def measure(user) -> None:
    """Each search as the page runs it: the rows (what the page shows as the recruiter types,
    ``candidate_search`` without facets), then the counts (the total and facets the page asks
    for next, ``search_facets``). Both are printed, per search and per kind."""
    from crm.selectors.search import candidate_search, search_facets  # noqa: PLC0415 - after django.setup()

    rng = random.Random(SEED)  # noqa: S311 - test data, not secrets
    rows_by_kind: dict[str, list[tuple[float, float]]] = {}
    counts_by_kind: dict[str, list[float]] = {}
    print(f"\nbench: {ROUNDS} rounds per search; rows = a page of 50, counts = total + facets")
    print(
        f"  {'search':<40} {'rows p50':>8} {'bare ms':>8} {'ratio':>6} {'explain':>8} "
        f"{'counts p50':>10}  total  indexes"
    )
    for kind, label, values, pages in searches(rng):
        after = None
        for _ in range(pages):  # walk the cursor to the deep page (not timed)
            after = candidate_search(user, _params(values, after), facets=False).next_cursor
            if after is None:
                break
        params = _params(values, after)

        def rows(p=params):
            return candidate_search(user, p, facets=False)

        def counts(p=params):
            return search_facets(user, p)

        _, statements = _capture(rows)
        samples, bares = _timed(rows, statements)
        _, indexes, explained = _bare(statements)
        p50, bare = statistics.median(samples), statistics.median(bares)
        rows_by_kind.setdefault(kind, []).extend((s, s / bare) for s in samples)
        counted, count_statements = _capture(counts)
        count_samples, _ = _timed(counts, count_statements)
        counts_by_kind.setdefault(kind, []).extend(count_samples)
        total = f"{counted.total:,}{'+' if counted.total_capped else ''}"
        print(
            f"  {label[:40]:<40} {p50 * 1e3:8.1f} {bare * 1e3:8.1f} {p50 / bare:6.2f} "
            f"{explained:8.1f} {statistics.median(count_samples) * 1e3:10.1f}  {total:>7}  "
            f"{', '.join(indexes) or 'seq scan'}"
        )
    print(
        f"\n  {'kind':<20} {'n':>4} {'rows p50':>9} {'rows p95':>9} {'ratio to bare SQL':>18} "
        f"{'counts p50':>11} {'counts p95':>11}"
    )
    for kind, rows in rows_by_kind.items():
        p50, p95 = _percentiles([t for t, _ in rows])
        c50, c95 = _percentiles(counts_by_kind[kind])
        ratio = statistics.median(r for _, r in rows)
        print(
            f"  {kind:<20} {len(rows):>4} {p50 * 1e3:9.1f} {p95 * 1e3:9.1f} {ratio:18.2f} "
            f"{c50 * 1e3:11.1f} {c95 * 1e3:11.1f}"
        )


def main() -> int:
    database = _setup.setup(variable="BENCH_DATABASE", default="talentloop_bench")
    from config.core.roles import Role, assign_roles, roles_of  # noqa: PLC0415 - after django.setup()

    user, _ = get_user_model().objects.get_or_create(username="bench-recruiter")
    assign_roles(user, [Role.RECRUITER])
    load(owner_id=user.pk, database=database)
    roles_of(user)  # cached on the user, as in a request: not part of what is measured
    measure(user)
    return 0


if __name__ == "__main__":
    sys.exit(main())
