"""API pieces every app shares (keyset pages) and the view for the signed-in user."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.pagination import CursorPagination
from rest_framework.request import Request
from rest_framework.response import Response

from .roles import role_labels

DEFAULT_LIMIT = 25
MAX_LIMIT = 100


class CursorPage(CursorPagination):
    """Keyset pages for every list API: ``?after=<next>&limit=1-100``; subclasses set the
    ordering (newest first by default)."""

    ordering = ("-created_at", "-id")
    cursor_query_param = "after"
    page_size = DEFAULT_LIMIT
    page_size_query_param = "limit"
    max_page_size = MAX_LIMIT


PAGE_PARAMETERS = [
    OpenApiParameter("after", OpenApiTypes.STR, description="From a previous `next`."),
    OpenApiParameter("limit", OpenApiTypes.INT, description=f"1-{MAX_LIMIT}."),
]


class MeOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    name = serializers.CharField()
    email = serializers.EmailField(allow_blank=True)
    roles = serializers.ListField(child=serializers.CharField())


@extend_schema(responses=MeOutputSerializer, summary="The authenticated user and their roles")
@api_view(["GET"])
def me(request: Request) -> Response:
    """Any authenticated user (session or token): who am I and which roles do I hold."""
    user = request.user
    assert user.is_authenticated  # the default permission (IsAuthenticated) admitted them
    data = {
        "id": user.pk,
        "username": user.username,
        "name": user.display_name,
        "email": user.email,
        "roles": role_labels(user),
    }
    return Response(MeOutputSerializer(data).data)
