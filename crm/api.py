"""Candidate API (v1): thin views over the same selectors and services as the HTML pages.

Token (``Authorization: Token <key>``) or session auth; recruiters only for now. Token auth is
tried first so an anonymous client gets 401 with ``WWW-Authenticate: Token``. Candidates the
user may not see answer 404. Search (``crm.search``) and merging (``crm.merge``) are imported
lazily: the list falls back to a name/email filter and merge answers 503 until they ship.
"""

from __future__ import annotations

import importlib
from types import ModuleType

from django.db import transaction
from django.db.models import Prefetch, Q
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import CursorPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from config.core.roles import Role, api_role_permission

from .models import Candidate, CandidateEmail, CandidatePhone, Source, TimelineEntry
from .selectors import candidate_get_for_user, candidates_visible_to
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
from .services import CandidateInputError, candidate_update, candidate_upsert, note_add
from .services_profile import candidate_assign

DEFAULT_LIMIT = 25
MAX_LIMIT = 100
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


def _candidate_detail(user, pk: int) -> Candidate:
    """The candidate with the rows the detail serializer shows (fixed number of queries)."""
    return (
        candidates_visible_to(user)
        .select_related("owner")
        .prefetch_related(
            Prefetch("emails", queryset=CandidateEmail.objects.order_by("-is_primary", "email")),
            Prefetch("phones", queryset=CandidatePhone.objects.order_by("-is_primary", "id")),
            "skills",
        )
        .get(pk=pk)
    )


def _optional_module(name: str, *attributes: str) -> ModuleType | None:
    """A module another issue is writing: None while it is missing or incomplete. Errors
    inside an existing module still surface."""
    try:
        module = importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name != name:
            raise
        return None
    return module if all(hasattr(module, a) for a in attributes) else None


# --------------------------------------------------------------------------- list and upsert


class _CandidateCursor(CursorPagination):
    ordering = ("-created_at", "-id")
    cursor_query_param = "after"  # the search page's name for it
    page_size = DEFAULT_LIMIT
    page_size_query_param = "limit"
    max_page_size = MAX_LIMIT


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


def _fallback_page(request: Request, view) -> tuple[list, str | None]:
    """Until crm.search lands: every word of ``q`` in a name or any email address."""
    fields = [*CandidateListItemOutputSerializer.Meta.fields, "created_at"]
    candidates = candidates_visible_to(request.user).only(*(f for f in fields if f != "full_name"))
    for word in request.query_params.get("q", "").split():
        emails = CandidateEmail.objects.filter(email__icontains=word).values("candidate_id")
        candidates = candidates.filter(
            Q(first_name__icontains=word) | Q(last_name__icontains=word) | Q(pk__in=emails)
        )
    paginator = _CandidateCursor()
    rows = paginator.paginate_queryset(candidates, request, view=view)
    return rows, paginator.get_next_link()


def _search_page(request: Request, view, limit: int) -> tuple[list, str | None]:
    search = _optional_module("crm.search", "SearchParams", "candidate_search")
    if search is None:
        return _fallback_page(request, view)
    query = request.query_params.copy()
    query.pop("limit", None)
    params, errors = search.SearchParams.from_query(query)
    if errors:
        raise ValidationError(_search_errors(errors))
    page = search.candidate_search(request.user, params, limit, facets=False)
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
        rows, next_url = _search_page(request, self, _limit(request))
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
        candidate = _candidate_detail(request.user, result.candidate.pk)
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
        _candidate_or_404(request, pk)
        return Response(CandidateOutputSerializer(_candidate_detail(request.user, pk)).data)

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
            with transaction.atomic():
                candidate_update(candidate=candidate, data=data, actor=request.user)
                candidate_assign(candidate=candidate, source=source, actor=request.user)
        except CandidateInputError as exc:
            raise _field_errors(exc) from None
        return Response(CandidateOutputSerializer(_candidate_detail(request.user, pk)).data)


class _TimelineCursor(CursorPagination):
    ordering = ("-occurred_at", "-id")
    cursor_query_param = "after"
    page_size = DEFAULT_LIMIT
    page_size_query_param = "limit"
    max_page_size = MAX_LIMIT


class CandidateTimelineApi(_RecruiterApi):
    @extend_schema(
        operation_id="candidates_timeline_list",
        summary="A candidate's timeline, newest first",
        parameters=[
            OpenApiParameter("after", OpenApiTypes.STR, description="From a previous `next`."),
            OpenApiParameter("limit", OpenApiTypes.INT, description=f"1-{MAX_LIMIT}."),
        ],
        responses={200: TimelinePageOutputSerializer, 404: NOT_FOUND},
    )
    def get(self, request: Request, pk: int) -> Response:
        candidate = _candidate_or_404(request, pk)
        entries = TimelineEntry.objects.filter(candidate=candidate).select_related("actor")
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
        description="`other` is merged into `survivor` (undoable). 503 while merging is not "
        "available on this server.",
        request=MergeInputSerializer,
        responses={
            200: MergeOutputSerializer,
            400: FIELD_ERRORS,
            404: NOT_FOUND,
            503: OpenApiResponse(ErrorOutputSerializer, description="Merging is not available."),
        },
    )
    def post(self, request: Request) -> Response:
        merge = _optional_module("crm.merge", "candidate_merge", "MergeError")
        if merge is None:
            return Response(
                {"detail": "Merging is not available on this server yet."},
                status=status.HTTP_503_SERVICE_UNAVAILABLE,
            )
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
            record = merge.candidate_merge(
                survivor=survivor,
                other=other,
                field_choices=serializer.validated_data["field_choices"],
                actor=request.user,
            )
        except merge.MergeError as exc:
            raise ValidationError({"detail": [str(exc)]}) from None
        data = {
            "merge_id": record.pk,
            "other": other.pk,
            "survivor": _candidate_detail(request.user, survivor.pk),
        }
        return Response(MergeOutputSerializer(data).data)
