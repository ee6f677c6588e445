"""Rediscovery: everyone we already know (or one set of people), ranked against a job, with the
reasons in words.

One SQL statement does the work. It first cuts the candidates to those who list at least one of
the job's skills (``skill_slugs && job skills``, the GIN index ``crm_cand_skills_gin``) or, when
the planner expects more than ``CUT_CAP`` of them, to a stricter skill rule (:func:`cut_level`),
leaves out people with an active application to the job, archived and merged-away records, then
scores each on fixed components and keeps the best page (keyset: score, then id). The cut only
decides who is scored, never a score. Each component is
points out of its weight (the weights add up to 100):

=================  ======  ==============================================================
required skills     35     share of the job's required skills the person lists
nice-to-have        10     share of the nice-to-have skills
title               15     trigram similarity of the current title with the job title
seniority            6     same level 6, one level apart 3
years                4     at least the minimum 4, up to two years short 2
location            10     remote job and allowed country (or anywhere) 10; same city 10,
                           same country 5
history             10     furthest stage reached on a similar job (same department or a
                           similar title): applied 1, screen 3, interview 5, final 8,
                           offer or hired 10
recency              5     active in the last 90 days 5 (warm), last year 2 (cooling)
engagement           5     interest level: actively looking 5, open 4, passive 2
=================  ======  ==============================================================

The explanation (:func:`explain`) is built from the same numbers the score adds up.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from itertools import combinations
from typing import Any

from django.db import connection, transaction
from django.db.models import QuerySet

from config.core.roles import Role, has_role
from crm.models import InterestLevel, Seniority
from crm.selectors.candidates import candidates_visible_to
from crm.selectors.search import skill_label
from crm.types import AnyUser
from parsing.skills import normalize_skill

from ..models import Job, JobLocation, StageKind

PAGE_SIZE = 25
MAX_LIMIT = 100
MAX_DERIVED_SKILLS = 15
SIMILAR_TITLE = 0.3  # pg_trgm similarity from which another job counts as similar
WEIGHTS = {
    "required": 35,
    "nice": 10,
    "title": 15,
    "seniority": 6,
    "years": 4,
    "location": 10,
    "history": 10,
    "recency": 5,
    "engagement": 5,
}
HISTORY_POINTS = {
    StageKind.APPLIED: 1,
    StageKind.SCREEN: 3,
    StageKind.INTERVIEW: 5,
    StageKind.FINAL: 8,
    StageKind.OFFER: 10,
    StageKind.HIRED: 10,
}
ENGAGEMENT_POINTS = {
    InterestLevel.ACTIVE: 5,
    InterestLevel.OPEN: 4,
    InterestLevel.PASSIVE: 2,
    InterestLevel.NOT_INTERESTED: 0,
}
_WORD = re.compile(r"[^\W_][\w+#.\-]*", re.UNICODE)


# --------------------------------------------------------------------------- what the job asks


@dataclass(frozen=True)
class JobAsk:
    """The skills a job is ranked on; ``derived`` when the required ones come from its
    description (the job lists none)."""

    required: tuple[str, ...]
    nice: tuple[str, ...]
    derived: bool

    @property
    def all(self) -> tuple[str, ...]:
        return self.required + tuple(s for s in self.nice if s not in self.required)


def skills_in_text(text: str, limit: int = MAX_DERIVED_SKILLS) -> list[str]:
    """The taxonomy skills ``text`` names (runs of one to three words matched against skill names
    and aliases, longest first), in order of appearance."""
    words = [w.rstrip(".") for w in _WORD.findall(text or "")]
    found: list[str] = []
    i = 0
    while i < len(words) and len(found) < limit:
        for size in (3, 2, 1):
            if i + size > len(words):
                continue
            skill = normalize_skill(" ".join(words[i : i + size]))
            if skill is not None:
                if skill.slug not in found:
                    found.append(skill.slug)
                i += size
                break
        else:
            i += 1
    return found


def job_ask(job: Job) -> JobAsk:
    """The job's skills; when it lists no required ones, those its description names."""
    required = tuple(job.required_skills)
    nice = tuple(s for s in job.nice_skills if s not in required)
    if required:
        return JobAsk(required, nice, derived=False)
    derived = tuple(s for s in skills_in_text(job.description) if s not in nice)
    return JobAsk(derived, nice, derived=bool(derived))


# --------------------------------------------------------------------------- permissions


def can_rediscover(user: AnyUser, job: Job) -> bool:
    """Recruiters, and the job's hiring manager (read-only)."""
    if has_role(user, Role.RECRUITER):
        return True
    return has_role(user, Role.HIRING_MANAGER) and job.hiring_manager_id == getattr(
        user, "pk", None
    )


def can_add_from_rediscovery(user: AnyUser) -> bool:
    """Only recruiters act on the list (add as sourced, the registered bulk actions)."""
    return has_role(user, Role.RECRUITER)


def job_get_for_rediscovery(user: AnyUser, pk: int) -> Job | None:
    """The job, for those who may rank people against it (the access decorator's loader; the
    page answers 404 otherwise, whether the job exists or not)."""
    job = Job.objects.filter(pk=pk).first()
    return job if job is not None and can_rediscover(user, job) else None


# --------------------------------------------------------------------------- ranking


@dataclass(frozen=True)
class Match:
    """One ranked person: the points per component (``WEIGHTS``' keys), the facts they come
    from, and the sentence that says why."""

    candidate_id: int
    name: str
    current_title: str
    city: str
    country: str
    do_not_contact: bool
    score: Decimal
    points: dict[str, Decimal]
    required_hit: tuple[str, ...]
    nice_hit: tuple[str, ...]
    required_total: int
    nice_total: int
    title_similarity: float
    seniority: str
    years: Decimal | None
    location_fit: str  # "remote", "city", "country" or ""
    history_kind: str
    history_job: str
    history_at: datetime | None
    recency: str  # "warm", "cooling", "cold"
    last_activity_at: datetime | None
    interest_level: str
    explanation: str = ""


@dataclass(frozen=True)
class Ranking:
    ask: JobAsk
    matches: list[Match]
    next_after: tuple[Decimal, int] | None  # where the next page starts, or None
    # How many required skills a person needed to be scored (1: any of the job's skills).
    level: int = 1
    # When even the strictest skill level is too many people: only those in these countries.
    countries: tuple[str, ...] = ()


_SENIORITY = list(Seniority.values)
_KINDS = list(StageKind.values)

_SQL = """
WITH similar_jobs AS (
    SELECT j.id, j.title FROM ats_job j
    WHERE j.id <> %s AND ((%s <> '' AND j.department = %s) OR similarity(j.title, %s) >= %s)
), history AS (
    SELECT DISTINCT ON (a.candidate_id) a.candidate_id, s.kind, sj.title AS job_title, h.at
    FROM ats_stagechange h
    JOIN ats_application a ON a.id = h.application_id
    JOIN similar_jobs sj ON sj.id = a.job_id
    JOIN ats_stage s ON s.id = h.to_stage_id
    ORDER BY a.candidate_id, array_position(%s::text[], s.kind::text) DESC, h.at DESC
), facts AS (
    SELECT c.id, c.first_name, c.last_name, c.email, c.current_title, c.city, c.country,
        c.seniority, c.years_experience, c.interest_level, c.last_activity_at, c.do_not_contact,
        c.skill_slugs, {required_hits} AS n_req, {nice_hits} AS n_nice,
        similarity(lower(c.current_title), %s) AS title_sim,
        CASE
            WHEN %s = 'remote' AND (cardinality(%s::varchar[]) = 0 OR c.country = ANY(%s::varchar[]))
                THEN 'remote'
            WHEN %s <> 'remote' AND c.city <> '' AND lower(c.city) = ANY(%s::text[]) THEN 'city'
            WHEN %s <> 'remote' AND c.country <> '' AND c.country = ANY(%s::varchar[]) THEN 'country'
            ELSE '' END AS loc_fit,
        abs(array_position(%s::text[], c.seniority::text) - array_position(%s::text[], %s))
            AS level_gap,
        hi.kind AS history_kind, hi.job_title AS history_job, hi.at AS history_at,
        CASE WHEN c.last_activity_at >= now() - interval '90 days' THEN 'warm'
             WHEN c.last_activity_at >= now() - interval '365 days' THEN 'cooling'
             ELSE 'cold' END AS recency
    FROM crm_candidate c
    LEFT JOIN history hi ON hi.candidate_id = c.id
    WHERE ({cut})
      AND c.merged_into_id IS NULL AND NOT c.archived
      AND NOT EXISTS (SELECT 1 FROM ats_application a
                      WHERE a.candidate_id = c.id AND a.job_id = %s AND a.status = 'active')
      {scope}
), points AS (
    SELECT f.*,
        round(%s * f.n_req::numeric / %s, 1) AS p_required,
        round(%s * f.n_nice::numeric / %s, 1) AS p_nice,
        round((%s * f.title_sim)::numeric, 1) AS p_title,
        CASE WHEN f.level_gap = 0 THEN %s WHEN f.level_gap = 1 THEN %s ELSE 0 END::numeric
            AS p_seniority,
        CASE WHEN %s::numeric IS NULL OR f.years_experience IS NULL THEN 0
             WHEN f.years_experience >= %s::numeric THEN %s
             WHEN f.years_experience >= %s::numeric - 2 THEN %s ELSE 0 END::numeric AS p_years,
        CASE f.loc_fit WHEN 'remote' THEN %s WHEN 'city' THEN %s WHEN 'country' THEN %s
             ELSE 0 END::numeric AS p_location,
        coalesce((%s::int[])[array_position(%s::text[], f.history_kind::text)], 0)::numeric
            AS p_history,
        CASE f.recency WHEN 'warm' THEN %s WHEN 'cooling' THEN %s ELSE 0 END::numeric
            AS p_recency,
        coalesce((%s::int[])[array_position(%s::text[], f.interest_level::text)], 0)::numeric
            AS p_engagement
    FROM facts f
), scored AS (
    SELECT p.*, p.p_required + p.p_nice + p.p_title + p.p_seniority + p.p_years + p.p_location
        + p.p_history + p.p_recency + p.p_engagement AS score
    FROM points p
)
SELECT s.*,
    ARRAY(SELECT r FROM unnest(%s::varchar[]) WITH ORDINALITY u(r, n)
          WHERE r = ANY(s.skill_slugs) ORDER BY n) AS req_hit,
    ARRAY(SELECT r FROM unnest(%s::varchar[]) WITH ORDINALITY u(r, n)
          WHERE r = ANY(s.skill_slugs) ORDER BY n) AS nice_hit
FROM scored s
WHERE s.score >= %s {after}
ORDER BY s.score DESC, s.id DESC
LIMIT %s
"""

# Who is scored. Everyone listing one of the job's skills, unless that is more than CUT_CAP
# people (by the planner's estimate): then those listing at least k of the required skills, the
# smallest k that brings the estimate under the cap (k of the first CUT_SKILLS required skills,
# as OR-ed ``@>`` tests the GIN index answers). The score itself never depends on k.
CUT_CAP = 5_000
CUT_SKILLS = 6


def _hits(skills: tuple[str, ...]) -> tuple[str, list[Any]]:
    """SQL counting how many of ``skills`` a person lists (cheap: no subquery per row)."""
    if not skills:
        return "0", []
    return " + ".join(["(c.skill_slugs @> ARRAY[%s]::varchar[])::int"] * len(skills)), list(skills)


def _cut(ask: JobAsk, k: int) -> tuple[str, list[Any]]:
    """The GIN-indexed test of who is scored at ``k`` (see :func:`cut_level`)."""
    top = min(len(ask.required), CUT_SKILLS)
    if k <= 1:
        return "c.skill_slugs && %s::varchar[]", [list(ask.all)]
    if k > top:  # every required skill (of the first CUT_SKILLS) and one nice-to-have
        base = list(ask.required[:CUT_SKILLS])
        groups = [[*base, nice] for nice in ask.nice[:CUT_SKILLS]]
    else:
        groups = [list(group) for group in combinations(ask.required[:CUT_SKILLS], k)]
    return " OR ".join(["c.skill_slugs @> %s::varchar[]"] * len(groups)), groups


def _estimate(cursor, cut: str, params: list[Any]) -> float:
    sql = f"EXPLAIN (FORMAT JSON) SELECT 1 FROM crm_candidate c WHERE {cut}"  # noqa: S608 - our SQL; values are parameters
    cursor.execute(sql, params)
    plan = cursor.fetchone()[0]
    plan = plan if isinstance(plan, list) else json.loads(plan)
    return float(plan[0]["Plan"]["Plan Rows"])


def cut_level(ask: JobAsk, countries: tuple[str, ...] = ()) -> tuple[int, tuple[str, ...]]:
    """Who is scored at all: 1 is anyone listing one of the job's skills; k (2 up to the number
    of required skills) those listing at least k required skills; one more, those listing every
    required skill and a nice-to-have one. The loosest level the planner estimates at no more
    than CUT_CAP people; when that is the strictest (or none is), then (given ``countries``,
    the job's) only the people living in those countries. Returns the level and the countries it narrowed to."""
    top = min(len(ask.required), CUT_SKILLS)
    strictest = top + 1 if ask.nice and top else max(top, 1)
    with connection.cursor() as cursor:
        for k in range(1, strictest + 1):
            if _estimate(cursor, *_cut(ask, k)) <= CUT_CAP:
                # Only the strictest rule fits: the planner's estimate of it is the least
                # trustworthy (skills held together, as a family's, multiply badly), so the
                # job's countries narrow it too.
                last_resort = k == strictest and k > 1
                return k, tuple(countries) if last_resort else ()
    return strictest, tuple(countries)


def cut_label(ask: JobAsk, level: int, countries: tuple[str, ...] = ()) -> str:
    """The level in words, for the page and the API ("" when everyone is scored)."""
    top = min(len(ask.required), CUT_SKILLS)
    where = f", living in {', '.join(countries)}" if countries else ""
    if level <= 1:
        text = "one of the job's skills" if where else ""
    elif level > top:
        text = "every required skill and at least one nice-to-have skill"
    else:
        text = f"at least {level} of the required skills"
    return text + where


def _scope_sql(qs: QuerySet) -> tuple[str, list[Any]]:
    sql, params = qs.values("pk").query.sql_with_params()
    return f" AND c.id IN ({sql})", list(params)


def rank_candidates(
    user: AnyUser,
    job: Job,
    *,
    candidate_ids: QuerySet | None = None,
    min_score: Decimal | int = 0,
    location: str = "",
    limit: int = PAGE_SIZE,
    after: tuple[Decimal, int] | None = None,
) -> Ranking:
    """The best ``limit`` people for ``job`` among those ``user`` may see (and, given, among
    ``candidate_ids``: a queryset of one id column), from ``after`` (the previous page's
    ``next_after``) on. ``location`` keeps people whose city or country code is that text."""
    ask = job_ask(job)
    if not ask.all:
        return Ranking(ask, [], None)
    scope, scope_params = "", list[Any]()
    if not has_role(user, Role.RECRUITER):
        scope, scope_params = _scope_sql(candidates_visible_to(user))
    if candidate_ids is not None:
        extra, extra_params = _scope_sql(candidate_ids)
        scope, scope_params = scope + extra, scope_params + extra_params
    where = location.strip()
    if where:
        scope += " AND (lower(c.city) = lower(%s) OR c.country = upper(%s))"
        scope_params += [where, where]
    after_sql, after_params = "", list[Any]()
    if after is not None:
        after_sql, after_params = "AND (s.score, s.id) < (%s, %s)", [after[0], after[1]]
    places = list(JobLocation.objects.filter(job=job))
    cities = sorted({p.city.lower() for p in places if p.city})
    countries = sorted({p.country for p in places if p.country})
    wanted = job.remote_countries if job.remote_policy == "remote" else countries
    level, narrowed = cut_level(ask, tuple(wanted))
    cut, cut_params = _cut(ask, level)
    if narrowed:
        cut, cut_params = (
            f"({cut}) AND c.country = ANY(%s::varchar[])",
            [*cut_params, list(narrowed)],
        )
    required_hits, required_params = _hits(ask.required)
    nice_hits, nice_params = _hits(ask.nice)
    w = WEIGHTS
    history = [int(HISTORY_POINTS[StageKind(k)]) for k in _KINDS]
    interest = list(ENGAGEMENT_POINTS)
    params: list[Any] = [
        job.pk, job.department, job.department, job.title, SIMILAR_TITLE,
        _KINDS,
        *required_params, *nice_params, job.title.lower(),
        job.remote_policy, job.remote_countries, job.remote_countries,
        job.remote_policy, cities, job.remote_policy, countries,
        _SENIORITY, _SENIORITY, job.seniority or None,
        *cut_params, job.pk,
        *scope_params,
        w["required"], max(len(ask.required), 1), w["nice"], max(len(ask.nice), 1),
        w["title"], w["seniority"], w["seniority"] / 2,
        job.min_years, job.min_years, w["years"], job.min_years, w["years"] / 2,
        w["location"], w["location"], w["location"] / 2,
        history, _KINDS,
        w["recency"], 2,
        [ENGAGEMENT_POINTS[v] for v in interest], [str(v) for v in interest],
        list(ask.required), list(ask.nice),
        Decimal(min_score), *after_params, limit + 1,
    ]  # fmt: skip
    sql = _SQL.format(
        required_hits=required_hits, nice_hits=nice_hits, cut=cut, scope=scope, after=after_sql
    )
    with transaction.atomic(), connection.cursor() as cursor:
        # JIT compiling this statement costs more than it saves (a few hundred ms at 1M rows).
        cursor.execute("SET LOCAL jit = off")
        cursor.execute(sql, params)
        names = [col.name for col in cursor.description]
        rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    matches = [_match(row, ask) for row in rows[:limit]]
    has_more = len(rows) > limit
    next_after = (matches[-1].score, matches[-1].candidate_id) if has_more and matches else None
    return Ranking(ask, matches, next_after, level, narrowed)


def _match(row: dict[str, Any], ask: JobAsk) -> Match:
    points = {name: Decimal(row[f"p_{name}"]) for name in WEIGHTS}
    name = " ".join(p for p in (row["first_name"], row["last_name"]) if p) or row["email"]
    match = Match(
        candidate_id=row["id"],
        name=name or f"Candidate {row['id']}",
        current_title=row["current_title"],
        city=row["city"],
        country=row["country"],
        do_not_contact=row["do_not_contact"],
        score=Decimal(row["score"]),
        points=points,
        required_hit=tuple(row["req_hit"]),
        nice_hit=tuple(row["nice_hit"]),
        required_total=len(ask.required),
        nice_total=len(ask.nice),
        title_similarity=float(row["title_sim"] or 0),
        seniority=row["seniority"],
        years=row["years_experience"],
        location_fit=row["loc_fit"],
        history_kind=row["history_kind"] or "",
        history_job=row["history_job"] or "",
        history_at=row["history_at"],
        recency=row["recency"],
        last_activity_at=row["last_activity_at"],
        interest_level=row["interest_level"],
    )
    return Match(**{**match.__dict__, "explanation": explain(match)})


def explain(match: Match) -> str:
    """Why ``match`` ranks where it does, one clause per component that scored, in the order
    of ``WEIGHTS`` (the same numbers the score adds up)."""
    p = match.points
    parts: list[str] = []
    if match.required_total:
        hit = ", ".join(skill_label(s) for s in match.required_hit)
        clause = f"{len(match.required_hit)} of {match.required_total} required skills"
        parts.append(f"{clause}: {hit}" if hit else clause)
    if p["nice"]:
        nice = ", ".join(skill_label(s) for s in match.nice_hit)
        parts.append(f"{len(match.nice_hit)} of {match.nice_total} nice-to-have: {nice}")
    if p["title"]:
        parts.append(
            f"title “{match.current_title}” ({round(match.title_similarity * 100)}% similar)"
        )
    if p["seniority"]:
        parts.append(Seniority(match.seniority).label.lower())
    if p["years"]:
        parts.append(f"{match.years} years")
    if p["history"]:
        kind = StageKind(match.history_kind).label
        when = f" in {match.history_at:%Y-%m}" if match.history_at else ""
        parts.append(f"reached {kind} for {match.history_job}{when}")
    if p["recency"]:
        parts.append(match.recency)
    if p["engagement"]:
        parts.append(InterestLevel(match.interest_level).label.lower())
    if p["location"]:
        parts.append(_place(match))
    return "; ".join(parts)


def _place(match: Match) -> str:
    if match.location_fit == "remote":
        return f"remote ({match.country})" if match.country else "remote"
    if match.location_fit == "city":
        return match.city
    return f"in {match.country}"
