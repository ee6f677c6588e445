"""Talent pool API (v1): list and create pools (static, or dynamic with a validated rule), a
pool's detail, and its members (GET with the candidate search's filters, keyset paged; POST
and DELETE ``{"candidates": [ids]}`` on a static pool, 400 on a dynamic one). Recruiters only."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from config.core.api import PAGE_PARAMETERS, CursorPage

from ..models import Pool
from ..selectors.pools import FILTER_NAMES, pool_get_for_user, pool_members, pools_for_user
from ..selectors.search import SearchParams
from ..services.pools import PoolError, pool_create, pool_members_add, pool_members_remove
from .serializers import CandidateListItemOutputSerializer, ErrorOutputSerializer
from .views import FIELD_ERRORS, _RecruiterApi

NOT_FOUND = OpenApiResponse(ErrorOutputSerializer, description="No such pool.")


class PoolOutputSerializer(serializers.ModelSerializer):
    owner = serializers.SerializerMethodField()
    kind = serializers.CharField(help_text="static or dynamic")

    class Meta:
        model = Pool
        fields = [
            "id", "name", "description", "kind", "rule", "built_in", "member_count", "owner",
            "created_at", "updated_at", "last_refreshed_at",
        ]  # fmt: skip
        read_only_fields = fields

    def get_owner(self, pool: Pool) -> str | None:
        return pool.owner.display_name if pool.owner else None


class PoolPageOutputSerializer(serializers.Serializer):
    next = serializers.URLField(allow_null=True)
    results = PoolOutputSerializer(many=True)


class PoolInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=120)
    description = serializers.CharField(max_length=500, required=False, allow_blank=True)
    kind = serializers.CharField(max_length=8, help_text="static or dynamic")
    rule = serializers.JSONField(
        required=False,
        help_text='Dynamic pools: {"filters": {search filters}, "conditions": {...}, '
        '"match": "all"|"any"}.',
    )


class MembersInputSerializer(serializers.Serializer):
    candidates = serializers.ListField(child=serializers.IntegerField(min_value=1), max_length=1000)


class MembersChangeOutputSerializer(serializers.Serializer):
    changed = serializers.IntegerField(help_text="How many joined (POST) or left (DELETE).")
    member_count = serializers.IntegerField()


class MemberPageOutputSerializer(serializers.Serializer):
    next = serializers.URLField(allow_null=True)
    results = CandidateListItemOutputSerializer(many=True)


class _PoolCursor(CursorPage):
    ordering = ("-created_at", "-id")


class _MemberCursor(CursorPage):
    ordering = ("-id",)


def _errors(exc: PoolError) -> ValidationError:
    return ValidationError({name: [message] for name, message in exc.errors.items()})


def _pool_or_404(request: Request, pk: int) -> Pool:
    pool = pool_get_for_user(request.user, pk)
    if pool is None:
        raise NotFound
    return pool


class PoolListApi(_RecruiterApi):
    @extend_schema(
        operation_id="pools_list",
        summary="List talent pools",
        parameters=PAGE_PARAMETERS,
        responses={200: PoolPageOutputSerializer},
    )
    def get(self, request: Request) -> Response:
        paginator = _PoolCursor()
        rows = paginator.paginate_queryset(pools_for_user(request.user), request, view=self)
        results = PoolOutputSerializer(rows, many=True).data
        return Response({"next": paginator.get_next_link(), "results": results})

    @extend_schema(
        operation_id="pools_create",
        summary="Create a static or dynamic pool",
        description="A dynamic pool's rule is validated (an unknown field or a bad value is a "
        "400 naming it, e.g. `filters.seniority`) and the pool is filled at once.",
        request=PoolInputSerializer,
        responses={201: PoolOutputSerializer, 400: FIELD_ERRORS},
    )
    def post(self, request: Request) -> Response:
        serializer = PoolInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data: dict[str, Any] = serializer.validated_data
        try:
            pool = pool_create(
                name=data["name"],
                description=data.get("description", ""),
                kind=data["kind"],
                rule=data.get("rule"),
                owner=request.user,
            )
        except PoolError as exc:
            raise _errors(exc) from None
        pool = _pool_or_404(request, pool.pk)
        return Response(PoolOutputSerializer(pool).data, status=status.HTTP_201_CREATED)


class PoolDetailApi(_RecruiterApi):
    @extend_schema(
        operation_id="pools_retrieve",
        summary="One talent pool",
        responses={200: PoolOutputSerializer, 404: NOT_FOUND},
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(PoolOutputSerializer(_pool_or_404(request, pk)).data)


class PoolMembersApi(_RecruiterApi):
    @extend_schema(
        operation_id="pools_members_list",
        summary="A pool's members, with the candidate search's filters",
        parameters=[
            *(OpenApiParameter(name, OpenApiTypes.STR) for name in FILTER_NAMES),
            *PAGE_PARAMETERS,
        ],
        responses={200: MemberPageOutputSerializer, 400: FIELD_ERRORS, 404: NOT_FOUND},
    )
    def get(self, request: Request, pk: int) -> Response:
        pool = _pool_or_404(request, pk)
        filters = {
            name: request.query_params.getlist(name)
            for name in FILTER_NAMES
            if name in request.query_params
        }
        params, errors = SearchParams.from_query(filters)
        if errors:
            raise ValidationError({name: [message] for name, message in errors.items()})
        rows = pool_members(request.user, pool, params if filters else None)
        paginator = _MemberCursor()
        page = paginator.paginate_queryset(rows, request, view=self)
        results = CandidateListItemOutputSerializer(page, many=True).data
        return Response({"next": paginator.get_next_link(), "results": results})

    def _change(self, request: Request, pk: int, add: bool) -> Response:
        pool = _pool_or_404(request, pk)
        serializer = MembersInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        ids = serializer.validated_data["candidates"]
        service = pool_members_add if add else pool_members_remove
        try:
            changed = service(pool=pool, candidate_ids=ids, actor=request.user)
        except PoolError as exc:
            raise _errors(exc) from None
        pool = _pool_or_404(request, pk)
        return Response({"changed": changed, "member_count": pool.member_count})

    @extend_schema(
        operation_id="pools_members_add",
        summary="Add people to a static pool",
        request=MembersInputSerializer,
        responses={200: MembersChangeOutputSerializer, 400: FIELD_ERRORS, 404: NOT_FOUND},
    )
    def post(self, request: Request, pk: int) -> Response:
        return self._change(request, pk, add=True)

    @extend_schema(
        operation_id="pools_members_remove",
        summary="Remove people from a static pool",
        request=MembersInputSerializer,
        responses={200: MembersChangeOutputSerializer, 400: FIELD_ERRORS, 404: NOT_FOUND},
    )
    def delete(self, request: Request, pk: int) -> Response:
        return self._change(request, pk, add=False)
