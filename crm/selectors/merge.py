"""Reads about duplicates and merges: the possible-duplicates queue, the records on the merge
screen and the merge history (the writes are :mod:`crm.services.merge`)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import connection, models, transaction

from config.core.roles import Role, has_role

from ..models import Candidate, MergeRecord
from ..types import AnyUser
from .candidates import candidates_visible_to

REASONS = {
    "linkedin": ("same LinkedIn", 60),
    "phone": ("same phone", 50),
    "company": ("similar name + same company", 40),
    "email_local": ("similar name + same email local part", 40),
}
NAME_SIMILARITY = 0.6
# A company (or email local part) shared by more people than this is too big a block to compare
# pairwise; inside it only people who also share a first or a last name are compared.
BLOCK_LIMIT = 50


@dataclass(frozen=True)
class DuplicatePair:
    a: Candidate  # the lower id
    b: Candidate
    reasons: list[str]
    score: int

    @property
    def cursor(self) -> str:
        return f"{self.score}.{self.a.pk}.{self.b.pk}"


def parse_cursor(value: str | None) -> tuple[int, int, int] | None:
    """``score.low.high`` of the last pair shown (see :attr:`DuplicatePair.cursor`)."""
    try:
        score, low, high = (int(part) for part in (value or "").split("."))
    except ValueError:
        return None
    return score, low, high


_FULL_NAME = "lower(btrim(concat_ws(' ', {t}.first_name, {t}.last_name)))"
# Similar names only count together with the same company or email local part, so those are
# the blocks: a join on the block key (in big blocks: key + first or last name), then the
# trigram `%` test of the full names (threshold: SET LOCAL pg_trgm.similarity_threshold).
_PAIRS_SQL = f"""
WITH visible (id) AS MATERIALIZED ({{visible}}),
people AS MATERIALIZED (
    SELECT c.id, lower(c.current_company) AS company, lower(c.first_name) AS first,
           lower(c.last_name) AS last, {_FULL_NAME.format(t="c")} AS name
    FROM crm_candidate c
    WHERE c.id IN (SELECT id FROM visible) AND (c.first_name <> '' OR c.last_name <> '')
),
keys AS (
    SELECT id, 'company' AS reason, company AS block, first, last, name
    FROM people WHERE company <> ''
  UNION
    SELECT p.id, 'email_local', split_part(e.email, '@', 1), p.first, p.last, p.name
    FROM people p JOIN crm_candidateemail e ON e.candidate_id = p.id
),
sized AS (
    SELECT keys.*, count(*) OVER (PARTITION BY reason, block) AS size FROM keys
),
blocks AS MATERIALIZED (
    SELECT id, reason, block AS key, name FROM sized WHERE size <= %s
  UNION ALL
    SELECT id, reason, block || chr(1) || last, name FROM sized WHERE size > %s AND last <> ''
  UNION ALL
    SELECT id, reason, block || chr(1) || first, name FROM sized WHERE size > %s AND first <> ''
),
hits AS (
    SELECT p1.candidate_id AS low, p2.candidate_id AS high, 'phone' AS reason
    FROM crm_candidatephone p1
    JOIN crm_candidatephone p2 ON p2.number = p1.number AND p2.candidate_id > p1.candidate_id
    WHERE p1.candidate_id IN (SELECT id FROM visible)
      AND p2.candidate_id IN (SELECT id FROM visible)
  UNION
    SELECT c1.id, c2.id, 'linkedin'
    FROM crm_candidate c1
    JOIN crm_candidate c2 ON c2.linkedin_url = c1.linkedin_url AND c2.id > c1.id
    WHERE c1.linkedin_url <> '' AND c1.id IN (SELECT id FROM visible)
      AND c2.id IN (SELECT id FROM visible)
  UNION
    SELECT k1.id, k2.id, k1.reason
    FROM blocks k1
    JOIN blocks k2 ON k2.reason = k1.reason AND k2.key = k1.key AND k2.id > k1.id
    WHERE k1.name %% k2.name
),
pairs AS (
    SELECT h.low, h.high, array_agg(h.reason ORDER BY h.reason) AS reasons,
           sum(CASE h.reason {{weights}} END) AS weight
    FROM hits h
    WHERE NOT EXISTS (
        SELECT 1 FROM crm_duplicatedismissal d WHERE d.low_id = h.low AND d.high_id = h.high)
    GROUP BY h.low, h.high
),
scored AS (
    SELECT p.low, p.high, p.reasons, LEAST(100, p.weight + round(20 * similarity(
        {_FULL_NAME.format(t="a")}, {_FULL_NAME.format(t="b")})))::int AS score
    FROM pairs p JOIN crm_candidate a ON a.id = p.low JOIN crm_candidate b ON b.id = p.high
)
SELECT low, high, reasons, score FROM scored
{{after}}
ORDER BY score DESC, low, high
LIMIT %s
"""  # noqa: S608 - fixed text; the only interpolations are the ORM's SQL and our constants


def duplicate_pairs(
    user: AnyUser, limit: int = 50, after: tuple[int, int, int] | None = None
) -> list[DuplicatePair]:
    """Pairs of live records the user may see that look like one person: same phone, same
    LinkedIn URL, or a similar name (pg_trgm similarity of the full name >= 0.6) together with
    the same company (case-insensitive) or the same email local part. Dismissed pairs are left
    out. Best first; ``after`` (a cursor tuple ``(score, low, high)``) continues a page.

    Never all pairs of the table: self-joins on phone number and LinkedIn URL, and for names
    equality joins on company / email-local-part blocks (in blocks over BLOCK_LIMIT people,
    on block + first or last name); only pairs inside a block get the trigram ``%`` test.
    (A trigram GIN lookup per candidate was tried first: every lookup walks posting lists that
    grow with the table, so the queue grew quadratically: 1.5 s at 2,000 people, 9 s at 5,000.
    This one: 0.7 s at 20,000, 1.4 s at 50,000.)"""
    if not has_role(user, Role.RECRUITER):
        return []
    # The visibility rule stays the selector's: its SQL becomes the `visible` CTE.
    visible_sql, visible_params = candidates_visible_to(user).values("pk").query.sql_with_params()
    weights = " ".join(f"WHEN '{key}' THEN {weight}" for key, (_, weight) in REASONS.items())
    params = [*visible_params, BLOCK_LIMIT, BLOCK_LIMIT, BLOCK_LIMIT]
    where = ""
    if after is not None:
        where = "WHERE (-score, low, high) > (-%s, %s, %s)"
        params += [int(after[0]), int(after[1]), int(after[2])]
    params.append(limit)
    sql = _PAIRS_SQL.format(visible=visible_sql, weights=weights, after=where)
    with transaction.atomic(), connection.cursor() as cursor:
        # SET LOCAL: the `%` threshold holds for this query only, whatever the session set.
        cursor.execute(f"SET LOCAL pg_trgm.similarity_threshold = {NAME_SIMILARITY:f}")
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    people = Candidate.objects.in_bulk([pk for row in rows for pk in row[:2]])
    return [
        DuplicatePair(people[low], people[high], [REASONS[r][0] for r in reasons], score)
        for low, high, reasons, score in rows
        if low in people and high in people
    ]


def merge_records_visible_to(user: AnyUser) -> models.QuerySet[MergeRecord]:
    """Merge history: recruiters see every merge; nobody else sees any."""
    records = MergeRecord.objects.select_related("survivor", "loser", "performed_by", "undone_by")
    if not has_role(user, Role.RECRUITER):
        return records.none()
    return records


def merge_is_undoable(merge: MergeRecord) -> bool:
    return merge.undone_at is None and merge.survivor.merged_into_id is None


def merge_record_get_for_user(user: AnyUser, pk: int) -> MergeRecord | None:
    """One merge of the history, if the user may see it."""
    return merge_records_visible_to(user).filter(pk=pk).first()


def merge_pair_get_for_user(user: AnyUser, a: int, b: int) -> tuple[Candidate, Candidate] | None:
    """Both records (with their owners) for the merge screen, or None unless the user may see
    both."""
    people = candidates_visible_to(user).select_related("owner").in_bulk([a, b])
    if a in people and b in people:
        return people[a], people[b]
    return None


def merged_record_among(user: AnyUser, pks: Iterable[int]) -> Candidate | None:
    """One of ``pks`` that was merged away, so the merge screens can say where it went
    (recruiters only: nobody else may learn that a record exists)."""
    if not has_role(user, Role.RECRUITER):
        return None
    return Candidate.objects.filter(pk__in=list(pks), merged_into__isnull=False).first()


def merge_related(candidate: Candidate) -> dict[str, Any]:
    """What the merge screen lists beside the fields: tags, skills, emails and phones as
    text, and how many timeline entries and resumes the record has."""
    return {
        "tags": ", ".join(candidate.tags),
        "skills": ", ".join(
            f"{s.name} ({s.years} y)" if s.years is not None else s.name
            for s in candidate.skills.all()
        ),
        "emails": ", ".join(
            f"{e.email}{' (primary)' if e.is_primary else ''}"
            for e in candidate.emails.order_by("-is_primary", "email")
        ),
        "phones": ", ".join(p.number for p in candidate.phones.order_by("-is_primary", "number")),
        "timeline": candidate.timeline.count(),
        "resumes": candidate.resumes.count(),
    }
