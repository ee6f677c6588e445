"""GET /api/v1/jobs/{id}/matches/: rediscovery over the API, the same ranking as the job's
Rediscover tab (ats/selectors/rediscovery.py). Recruiters, and the job's hiring manager; any
other job answers 404 whether it exists or not."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from crm.api.serializers import ErrorOutputSerializer
from crm.selectors.pools import pool_candidates, pool_get_for_user

from ..selectors.rediscovery import Match, cut_label, job_get_for_rediscovery, rank_candidates
from .match_serializers import MatchFilterSerializer, MatchListOutputSerializer
from .views import FORBIDDEN, _AtsApi, _filters


def _row(match: Match) -> dict:
    return {
        "candidate": {
            "id": match.candidate_id,
            "name": match.name,
            "current_title": match.current_title,
            "city": match.city,
            "country": match.country,
            "do_not_contact": match.do_not_contact,
        },
        "score": match.score,
        "components": match.points,
        "required_skills_matched": list(match.required_hit),
        "nice_skills_matched": list(match.nice_hit),
        "explanation": match.explanation,
    }


class JobMatchesApi(_AtsApi):
    @extend_schema(
        operation_id="job_matches",
        summary="People we already know, ranked against the job",
        parameters=[MatchFilterSerializer],
        responses={
            200: MatchListOutputSerializer,
            400: OpenApiResponse(description="Field errors: {field: [message, ...]}."),
            403: FORBIDDEN,
            404: OpenApiResponse(ErrorOutputSerializer, description="No such job for you."),
        },
    )
    def get(self, request: Request, pk: int) -> Response:
        job = job_get_for_rediscovery(request.user, pk)
        if job is None:
            raise NotFound
        filters = _filters(request, MatchFilterSerializer)
        scope = None
        if filters.get("pool") is not None:
            pool = pool_get_for_user(request.user, filters["pool"])
            if pool is None:
                raise ValidationError({"pool": ["No such pool."]})
            scope = pool_candidates(pool)
        ranking = rank_candidates(
            request.user,
            job,
            candidate_ids=scope,
            min_score=filters["min_score"],
            limit=filters["limit"],
        )
        data = {
            "job": job.pk,
            "required_skills": list(ranking.ask.required),
            "nice_skills": list(ranking.ask.nice),
            "skills_from_description": ranking.ask.derived,
            "narrowed_to": cut_label(ranking.ask, ranking.level, ranking.countries),
            "results": [_row(match) for match in ranking.matches],
        }
        return Response(MatchListOutputSerializer(data).data)
