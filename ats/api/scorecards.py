"""Scorecards API (v1): ``GET /api/v1/interviews/{id}/scorecards/`` (the blindness rule of
:mod:`ats.selectors.scorecards` applies) and ``POST`` to it by one of the interview's
interviewers (submits, or amends a submitted one). Thin views over the same selectors and
services as the scorecard form.

Who gets what: anyone who may read the application's scorecards gets 200 (a panel member who
has not submitted their own sees only their own); posting is for the interview's interviewers
(403 for others who may read the scorecards, 404 for everyone else, whether it exists or not).
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from config.core.roles import Role, api_role_permission
from crm.api.serializers import ErrorOutputSerializer, UserRefOutputSerializer

from ..models import Interview, Recommendation, Scorecard
from ..selectors.my_interviews import interview_on_my_panel
from ..selectors.scorecards import (
    interview_for_scorecards,
    interview_scorecards,
    visibility_for,
)
from ..services.scorecards import MAX_ATTRIBUTE, MAX_NOTES, ScorecardRefused, scorecard_submit


class RatingSerializer(serializers.Serializer):
    attribute = serializers.CharField(max_length=MAX_ATTRIBUTE)
    rating = serializers.IntegerField(
        min_value=1,
        max_value=4,
        required=False,
        allow_null=True,
        help_text="1 Poor, 2 Mixed, 3 Good, 4 Excellent; null or left out: not rated.",
    )


class ScorecardInputSerializer(serializers.Serializer):
    overall = serializers.ChoiceField(choices=Recommendation.choices)
    ratings = RatingSerializer(
        many=True,
        required=False,
        help_text="One per focus attribute of the interview's kit (any name when it has none).",
    )
    notes = serializers.CharField(
        max_length=MAX_NOTES, required=False, allow_blank=True, trim_whitespace=True
    )


class RevisionOutputSerializer(serializers.Serializer):
    overall = serializers.CharField()
    ratings = RatingSerializer(many=True)
    notes = serializers.CharField()
    submitted_at = serializers.DateTimeField()


class ScorecardOutputSerializer(serializers.ModelSerializer):
    interviewer = UserRefOutputSerializer()
    ratings = RatingSerializer(many=True)
    # plain text: a second "status" enum would collide with the others' in the schema
    status = serializers.CharField(help_text="Always `submitted` here (drafts are not listed).")

    class Meta:
        model = Scorecard
        fields = [
            "id", "interview", "application", "interviewer", "status", "overall", "ratings",
            "notes", "submitted_at", "amended_at",
        ]  # fmt: skip


class ScorecardListOutputSerializer(serializers.Serializer):
    results = ScorecardOutputSerializer(many=True)
    blind = serializers.BooleanField(
        help_text="True when you sit on the panel and have not submitted your own scorecard "
        "for this application: you see only your own."
    )


FIELD_ERRORS = OpenApiResponse(description="Field errors: {field: [message, ...]}.")
NOT_FOUND = OpenApiResponse(ErrorOutputSerializer)
FORBIDDEN = OpenApiResponse(ErrorOutputSerializer, description="Not one of its interviewers.")


class InterviewScorecardsApi(APIView):
    authentication_classes = [TokenAuthentication, SessionAuthentication]
    permission_classes = [api_role_permission(*Role.ALL)]

    @extend_schema(
        operation_id="interview_scorecards_list",
        summary="An interview's submitted scorecards",
        description="Blind until submitted: a member of the application's interview panel who "
        "has not submitted their own scorecard sees only their own. Recruiters and the job's "
        "hiring manager (off the panel) see all submitted ones; drafts are never listed.",
        responses={200: ScorecardListOutputSerializer, 404: NOT_FOUND},
    )
    def get(self, request: Request, pk: int) -> Response:
        interview = _readable(request, pk)
        cards = interview_scorecards(request.user, interview) or []
        rule = visibility_for(request.user, [interview.application])[interview.application_id]
        payload = {"results": cards, "blind": rule.blind}
        return Response(ScorecardListOutputSerializer(payload).data)

    @extend_schema(
        operation_id="interview_scorecards_submit",
        summary="Submit (or amend) your scorecard for an interview",
        description="By one of the interview's interviewers. `overall` is one of strong_no, "
        "no, yes, strong_yes; `ratings` a list of {attribute, rating 1-4} where the attribute "
        "is a focus attribute of the interview's kit (an attribute may be left unrated); "
        "`notes` free text. A second submission amends the first (both stay in `revisions`). "
        "201 for the first submission, 200 for an amendment.",
        request=ScorecardInputSerializer,
        responses={
            201: ScorecardOutputSerializer,
            200: ScorecardOutputSerializer,
            400: FIELD_ERRORS,
            403: FORBIDDEN,
            404: NOT_FOUND,
        },
    )
    def post(self, request: Request, pk: int) -> Response:
        interview = interview_on_my_panel(request.user, pk)
        if interview is None:
            if interview_for_scorecards(request.user, pk) is not None:
                raise PermissionDenied("Only the interviewers of this interview can submit.")
            raise NotFound
        serializer = ScorecardInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            card = scorecard_submit(
                interview=interview,
                interviewer=request.user,
                overall=data["overall"],
                ratings=[dict(r) for r in data.get("ratings", [])],
                notes=data.get("notes", ""),
            )
        except ScorecardRefused as exc:
            field = exc.field or "detail"
            return Response({field: [exc.message]}, status=status.HTTP_400_BAD_REQUEST)
        code = status.HTTP_200_OK if card.amended_at else status.HTTP_201_CREATED
        return Response(ScorecardOutputSerializer(card).data, status=code)


def _readable(request: Request, pk: int) -> Interview:
    interview = interview_for_scorecards(request.user, pk)
    if interview is None:
        raise NotFound
    return interview
