"""Candidate API (v1): thin views over the same selectors and services as the HTML pages.

Token (``Authorization: Token <key>``) or session auth; recruiters only for now. Token auth is
tried first so an anonymous client gets 401 with ``WWW-Authenticate: Token``. Candidates the
user may not see answer 404.
"""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from config.core.api import DEFAULT_LIMIT, MAX_LIMIT, PAGE_PARAMETERS, CursorPage
from config.core.roles import Role, api_role_permission

from ..models import Candidate, Source
from ..selectors.candidates import (
    candidate_detail_get_for_user,
    candidate_get_for_user,
    timeline_entries,
)
from ..selectors.search import SearchParams, candidate_search
from ..services.candidates import candidate_edit, candidate_upsert
from ..services.errors import CandidateInputError
from ..services.merge import MergeError, candidate_merge
from ..services.timeline import note_add
from .serializers import (
    CandidateInputSerializer,
    CandidateListItemOutputSerializer,
    CandidateOutputSerializer,
    CandidatePageOutputSerializer,
    ErrorOutputSerializer,
    MergeInputSerializer,
    MergeOutputSerializer,
    NoteInputSerializer,
    TimelineEntryOutputSerializer,
    TimelinePageOutputSerializer,
)

FIELD_ERRORS = OpenApiResponse(description="Field errors: {field: [message, ...]}.")
NOT_FOUND = OpenApiResponse(ErrorOutputSerializer, description="No such candidate for you.")


class _RecruiterApi(APIView):
    authentication_classes = [TokenAuthentication, SessionAuthentication]
    permission_classes = [api_role_permission(Role.RECRUITER)]


def _field_errors(exc: CandidateInputError) -> ValidationError:
    return ValidationError({name: [message] for name, message in exc.errors.items()})


def _candidate_or_404(request: Request, pk: int) -> Candidate:
    candidate = candidate_get_for_user(request.user, pk)
    if candidate is None:
        raise NotFound
    return candidate


def _candidate_detail(request: Request, pk: int) -> Candidate:
    """The candidate with the rows the detail serializer shows (fixed number of queries)."""
    candidate = candidate_detail_get_for_user(request.user, pk)
    if candidate is None:
        raise NotFound
    return candidate


# --------------------------------------------------------------------------- list and upsert


_FILTERS = (
    ("q", "Keywords: name, title, skills, company, resume text."),
    ("skills", "Skills, comma separated (all of them; skills_mode=any for any)."),
    ("location", "City, region or country."),
    ("country", "Two-letter country code."),
    ("seniority", "Seniority (repeatable)."),
    ("tags", "Tags, comma separated."),
    ("source", "Source (repeatable)."),
    ("sort", "relevance, recent or created."),
)


def _limit(request: Request) -> int:
    raw = request.query_params.get("limit")
    if raw in (None, ""):
        return DEFAULT_LIMIT
    try:
        value = int(raw)
    except ValueError:
        raise ValidationError({"limit": ["must be a whole number"]}) from None
    if not 1 <= value <= MAX_LIMIT:
        raise ValidationError({"limit": [f"must be between 1 and {MAX_LIMIT}"]})
    return value


def _search_errors(errors) -> dict:
    if isinstance(errors, dict):
        return {k: v if isinstance(v, list) else [str(v)] for k, v in errors.items()}
    return {"non_field_errors": [str(e) for e in errors]}


def _search_page(request: Request, limit: int) -> tuple[list, str | None]:
    query = request.query_params.copy()
    query.pop("limit", None)
    params, errors = SearchParams.from_query(query)
    if errors:
        raise ValidationError(_search_errors(errors))
    page = candidate_search(request.user, params, limit, facets=False)
    next_url = None
    if page.next_cursor:
        following = request.query_params.copy()
        following["after"] = page.next_cursor
        next_url = request.build_absolute_uri(f"{request.path}?{following.urlencode()}")
    return list(page.results), next_url


class CandidateListApi(_RecruiterApi):
    @extend_schema(
        operation_id="candidates_list",
        summary="Search candidates",
        description="The search page's filters and sorts (the same query string as "
        "/candidates/), keyset-paginated: follow `next` until it is null.",
        parameters=[
            *(
                OpenApiParameter(name, OpenApiTypes.STR, description=text)
                for name, text in _FILTERS
            ),
            OpenApiParameter("after", OpenApiTypes.STR, description="From a previous `next`."),
            OpenApiParameter("limit", OpenApiTypes.INT, description=f"1-{MAX_LIMIT}."),
        ],
        responses={200: CandidatePageOutputSerializer, 400: FIELD_ERRORS},
    )
    def get(self, request: Request) -> Response:
        rows, next_url = _search_page(request, _limit(request))
        results = CandidateListItemOutputSerializer(rows, many=True).data
        return Response({"next": next_url, "results": results})

    @extend_schema(
        operation_id="candidates_upsert",
        summary="Add or update a candidate (looked up before create)",
        description="Matches by email (any case), then LinkedIn URL, then phone. 201 when a "
        "new record was created, 200 when an existing person matched and new details were "
        "merged in. Values a recruiter edited are never overwritten.",
        request=CandidateInputSerializer,
        responses={
            201: CandidateOutputSerializer,
            200: CandidateOutputSerializer,
            400: FIELD_ERRORS,
        },
    )
    def post(self, request: Request) -> Response:
        serializer = CandidateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        source = data.pop("source", "") or Source.API
        try:
            result = candidate_upsert(
                data=data,
                actor=request.user,
                source=source,
                origin="import",
                channel_summary="the API",
            )
        except CandidateInputError as exc:
            raise _field_errors(exc) from None
        candidate = _candidate_detail(request, result.candidate.pk)
        code = status.HTTP_201_CREATED if result.created else status.HTTP_200_OK
        return Response(CandidateOutputSerializer(candidate).data, status=code)


# --------------------------------------------------------------------------- one candidate


class CandidateDetailApi(_RecruiterApi):
    @extend_schema(
        operation_id="candidates_retrieve",
        summary="One candidate",
        responses={200: CandidateOutputSerializer, 404: NOT_FOUND},
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(CandidateOutputSerializer(_candidate_detail(request, pk)).data)

    @extend_schema(
        operation_id="candidates_partial_update",
        summary="Edit a candidate (as a recruiter)",
        description="Fields given become recruiter-owned: imports will not overwrite them. "
        "Lists are merged (added to, never removed from).",
        request=CandidateInputSerializer,
        responses={200: CandidateOutputSerializer, 400: FIELD_ERRORS, 404: NOT_FOUND},
    )
    def patch(self, request: Request, pk: int) -> Response:
        candidate = _candidate_or_404(request, pk)
        serializer = CandidateInputSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        source = data.pop("source", "")
        try:
            candidate_edit(candidate=candidate, data=data, source=source, actor=request.user)
        except CandidateInputError as exc:
            raise _field_errors(exc) from None
        return Response(CandidateOutputSerializer(_candidate_detail(request, pk)).data)


class _TimelineCursor(CursorPage):
    ordering = ("-occurred_at", "-id")


class CandidateTimelineApi(_RecruiterApi):
    @extend_schema(
        operation_id="candidates_timeline_list",
        summary="A candidate's timeline, newest first",
        parameters=PAGE_PARAMETERS,
        responses={200: TimelinePageOutputSerializer, 404: NOT_FOUND},
    )
    def get(self, request: Request, pk: int) -> Response:
        candidate = _candidate_or_404(request, pk)
        entries = timeline_entries(candidate)
        paginator = _TimelineCursor()
        page = paginator.paginate_queryset(entries, request, view=self)
        data = TimelineEntryOutputSerializer(page, many=True).data
        return paginator.get_paginated_response(data)

    @extend_schema(
        operation_id="candidates_timeline_note",
        summary="Add a note to a candidate's timeline",
        request=NoteInputSerializer,
        responses={201: TimelineEntryOutputSerializer, 400: FIELD_ERRORS, 404: NOT_FOUND},
    )
    def post(self, request: Request, pk: int) -> Response:
        candidate = _candidate_or_404(request, pk)
        serializer = NoteInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            entry = note_add(
                candidate=candidate, body=serializer.validated_data["body"], actor=request.user
            )
        except CandidateInputError as exc:
            raise _field_errors(exc) from None
        return Response(TimelineEntryOutputSerializer(entry).data, status=status.HTTP_201_CREATED)


# --------------------------------------------------------------------------- merge


class CandidateMergeApi(_RecruiterApi):
    @extend_schema(
        operation_id="candidates_merge",
        summary="Merge two records of the same person",
        description="`other` is merged into `survivor` (undoable).",
        request=MergeInputSerializer,
        responses={200: MergeOutputSerializer, 400: FIELD_ERRORS, 404: NOT_FOUND},
    )
    def post(self, request: Request) -> Response:
        serializer = MergeInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        survivor_id, other_id = (
            serializer.validated_data["survivor"],
            serializer.validated_data["other"],
        )
        if survivor_id == other_id:
            raise ValidationError({"other": ["must be a different candidate from survivor"]})
        survivor = _candidate_or_404(request, survivor_id)
        other = _candidate_or_404(request, other_id)
        try:
            record = candidate_merge(
                survivor=survivor,
                other=other,
                field_choices=serializer.validated_data["field_choices"],
                actor=request.user,
            )
        except MergeError as exc:
            raise ValidationError({"detail": [str(exc)]}) from None
        data = {
            "merge_id": record.pk,
            "other": other.pk,
            "survivor": _candidate_detail(request, survivor.pk),
        }
        return Response(MergeOutputSerializer(data).data)
