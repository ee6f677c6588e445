"""API views for the signed-in user."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response

from .roles import role_labels


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
