"""Demo talent pools (loaded by ``load_demo_data`` after nurture's demo, so the engagement
segments see its messages): refresh the built-in segments (the demo people's tags,
applications and messages fill them) and make one static pool with members. Idempotent."""

from __future__ import annotations

from django.db import transaction

from .models import Candidate, Pool
from .services.pools import pool_create, pool_members_add, pool_refresh

DEMO_DOMAIN = "@demo.talentloop.localhost"
SHORTLIST = "Demo: backend shortlist"


@transaction.atomic
def demo_pools_load(actor=None) -> dict[str, int]:
    people = list(
        Candidate.objects.filter(email__endswith=DEMO_DOMAIN, merged_into__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    shortlist = Pool.objects.filter(name=SHORTLIST).first()
    if shortlist is None:
        shortlist = pool_create(
            name=SHORTLIST,
            description="Hand-picked people for the next backend opening.",
            kind=Pool.Kind.STATIC,
            owner=actor,
        )
    if people:
        pool_members_add(pool=shortlist, candidate_ids=people[4:10] or people[:1], actor=actor)
    refreshed = 0
    for pool in Pool.objects.filter(kind=Pool.Kind.DYNAMIC):
        pool_refresh(pool=pool)
        refreshed += 1
    return {
        "pools refreshed": refreshed,
        "static pools": Pool.objects.filter(kind=Pool.Kind.STATIC).count(),
        "pool members": sum(Pool.objects.values_list("member_count", flat=True)),
    }
