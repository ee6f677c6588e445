"""Offers API (v1): thin views over ats.selectors.offers and ats.services.offers, the same ones
the offer pages use.

Token or session auth. Recruiters and hiring managers read the offers they may see (hiring
managers: their jobs' offers and those they approve); making, editing, submitting, sending and
withdrawing need the right to manage offers on the job (recruiters; the job's hiring manager),
else 403. ``POST .../approve/`` takes ``{"approve": true|false, "comment": "..."}``: false
declines (a comment is required then) and sends the offer back to draft. Refusals answer 400
``{"detail": ...}`` (with ``field`` when an input is at fault); editing an offer that was sent
answers 409 and changes nothing. Offers the user may not see answer 404.
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from config.core.api import PAGE_PARAMETERS, CursorPage
from config.core.roles import Role, api_role_permission
from crm.api.serializers import ErrorOutputSerializer

from ..models import Offer, OfferApproval, SalaryPeriod
from ..selectors.applications import application_get_for_user
from ..selectors.offers import (
    approver_choices,
    can_manage_offer,
    offer_get_for_api,
    offer_template_choices,
    offers_for_api,
)
from ..services import offers as services
from ..services.offers import MAX_SALARY, MAX_VALID_DAYS, OfferRefused

_Staff = api_role_permission(Role.RECRUITER, Role.HIRING_MANAGER)
NOT_FOUND = OpenApiResponse(ErrorOutputSerializer, description="No such offer (for you).")
FORBIDDEN = OpenApiResponse(ErrorOutputSerializer, description="Your roles do not allow this.")
REFUSED = OpenApiResponse(
    description="Field errors ({field: [message]}) or refused ({detail: message, field})."
)


# --------------------------------------------------------------------------- serializers


class OfferInputSerializer(serializers.Serializer):
    application = serializers.IntegerField(help_text="The application's id (create only).")
    salary = serializers.DecimalField(
        max_digits=12, decimal_places=2, min_value=0, max_value=MAX_SALARY
    )
    currency = serializers.RegexField(
        r"^[A-Za-z]{3}$",
        help_text="ISO 4217, e.g. EUR.",
        error_messages={"invalid": "Must be three letters (ISO 4217), e.g. EUR."},
    )
    salary_period = serializers.ChoiceField(choices=SalaryPeriod.choices, default="YEAR")
    start_date = serializers.DateField(help_text="Not in the past.")
    bonus = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    equity = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    template = serializers.PrimaryKeyRelatedField(
        queryset=offer_template_choices(), required=False, allow_null=True, default=None
    )
    letter = serializers.CharField(
        max_length=20000,
        required=False,
        allow_blank=True,
        default="",
        help_text="Written by hand; replaces the template's letter.",
    )
    approvers = serializers.PrimaryKeyRelatedField(
        queryset=approver_choices(),
        many=True,
        required=False,
        default=None,
        help_text="User ids in approval order; default: the job's hiring manager.",
    )
    expires_in_days = serializers.IntegerField(
        min_value=1, max_value=MAX_VALID_DAYS, default=services.DEFAULT_VALID_DAYS
    )


class OfferUpdateSerializer(OfferInputSerializer):
    application = None  # type: ignore[assignment]


class ApprovalOutputSerializer(serializers.ModelSerializer):
    approver = serializers.IntegerField(source="approver_id")
    approver_name = serializers.SerializerMethodField()

    class Meta:
        model = OfferApproval
        fields = ["position", "approver", "approver_name", "decision", "comment", "decided_at"]

    def get_approver_name(self, step: OfferApproval) -> str:
        return step.approver.get_full_name() or step.approver.username


class OfferOutputSerializer(serializers.ModelSerializer):
    application = serializers.IntegerField(source="application_id")
    candidate = serializers.IntegerField(source="application.candidate_id")
    job = serializers.IntegerField(source="application.job_id")
    template = serializers.IntegerField(source="template_id", allow_null=True)
    approvers = ApprovalOutputSerializer(source="approvals", many=True)
    # Plain text, not an enum: several tables have a "status" and the schema's enum names collide.
    status = serializers.CharField(help_text="One of: " + ", ".join(Offer.Status.values) + ".")

    class Meta:
        model = Offer
        fields = [
            "id", "application", "candidate", "job", "status", "salary", "currency",
            "salary_period", "start_date", "bonus", "equity", "template", "letter",
            "expires_at", "sent_at", "responded_at", "decline_reason", "approvers",
            "created_at", "updated_at",
        ]  # fmt: skip


class OfferPageOutputSerializer(serializers.Serializer):
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = OfferOutputSerializer(many=True)


class DecideInputSerializer(serializers.Serializer):
    approve = serializers.BooleanField(help_text="true approves; false declines.")
    comment = serializers.CharField(
        max_length=1000,
        required=False,
        allow_blank=True,
        default="",
        help_text="Required to decline.",
    )


class SendInputSerializer(serializers.Serializer):
    expires_in_days = serializers.IntegerField(
        min_value=1,
        max_value=MAX_VALID_DAYS,
        required=False,
        allow_null=True,
        default=None,
        help_text="A new validity from now; default: the offer's date.",
    )


class WithdrawInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")


# --------------------------------------------------------------------------- views


class _OfferApi(APIView):
    authentication_classes = [TokenAuthentication, SessionAuthentication]
    permission_classes = [_Staff]


def _refused(exc: OfferRefused) -> Response:
    body = {"detail": exc.message}
    if exc.field:
        body["field"] = exc.field
    return Response(body, status=status.HTTP_400_BAD_REQUEST)


def _offer_or_404(request: Request, pk: int) -> Offer:
    offer = offer_get_for_api(request.user, pk)
    if offer is None:
        raise NotFound
    return offer


def _managed(request: Request, pk: int) -> Offer:
    offer = _offer_or_404(request, pk)
    if not can_manage_offer(request.user, offer.application.job):
        raise PermissionDenied("You may not make or change offers on this job.")
    return offer


def _out(request: Request, pk: int, code: int = status.HTTP_200_OK) -> Response:
    return Response(OfferOutputSerializer(_offer_or_404(request, pk)).data, status=code)


class _OfferCursor(CursorPage):
    ordering = ("-created_at", "-id")


class OfferListApi(_OfferApi):
    @extend_schema(
        operation_id="offers_list",
        summary="Offers",
        description="The offers you may see, newest first, keyset-paginated.",
        parameters=PAGE_PARAMETERS,
        responses={200: OfferPageOutputSerializer, 403: FORBIDDEN},
    )
    def get(self, request: Request) -> Response:
        paginator = _OfferCursor()
        page = paginator.paginate_queryset(offers_for_api(request.user), request, view=self)
        return paginator.get_paginated_response(OfferOutputSerializer(page, many=True).data)

    @extend_schema(
        operation_id="offers_create",
        summary="Draft an offer for an application",
        description="The letter is rendered from `template` unless `letter` is given. 400 when "
        "the application already has an open offer, is not active, or an input is bad.",
        request=OfferInputSerializer,
        responses={201: OfferOutputSerializer, 400: REFUSED, 403: FORBIDDEN},
    )
    def post(self, request: Request) -> Response:
        serializer = OfferInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        application = application_get_for_user(request.user, data.pop("application"))
        if application is None:
            raise ValidationError({"application": ["Unknown application."]})
        if not can_manage_offer(request.user, application.job):
            raise PermissionDenied("You may not make offers on this job.")
        try:
            offer = services.offer_create(application=application, actor=request.user, **data)
        except OfferRefused as exc:
            return _refused(exc)
        return _out(request, offer.pk, status.HTTP_201_CREATED)


class OfferDetailApi(_OfferApi):
    @extend_schema(
        operation_id="offers_retrieve",
        summary="One offer with its approval chain",
        responses={200: OfferOutputSerializer, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def get(self, request: Request, pk: int) -> Response:
        return _out(request, pk)

    @extend_schema(
        operation_id="offers_partial_update",
        summary="Edit an offer that was not sent",
        description="Only the fields given change. A change after any approval puts the whole "
        "chain back to pending (and an approved offer back to pending approval). An offer "
        "that was sent (or answered, withdrawn, expired) answers 409 and nothing changes.",
        request=OfferUpdateSerializer,
        responses={
            200: OfferOutputSerializer,
            400: REFUSED,
            403: FORBIDDEN,
            404: NOT_FOUND,
            409: OpenApiResponse(ErrorOutputSerializer, description="The offer was sent."),
        },
    )
    def patch(self, request: Request, pk: int) -> Response:
        offer = _managed(request, pk)
        if offer.status not in services.EDITABLE:
            return Response(
                {
                    "detail": f"This offer was already {offer.get_status_display().lower()}, "
                    "so it cannot be edited any more. Withdraw it and make a new offer.",
                    "field": "status",
                },
                status=status.HTTP_409_CONFLICT,
            )
        serializer = OfferUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = {k: v for k, v in serializer.validated_data.items() if k in request.data}
        try:
            services.offer_update(offer=offer, actor=request.user, **data)
        except OfferRefused as exc:
            if exc.field == "status":
                return Response({"detail": exc.message}, status=status.HTTP_409_CONFLICT)
            return _refused(exc)
        return _out(request, pk)


class OfferSubmitApi(_OfferApi):
    @extend_schema(
        operation_id="offers_submit",
        summary="Submit a draft for approval",
        request=None,
        responses={200: OfferOutputSerializer, 400: REFUSED, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def post(self, request: Request, pk: int) -> Response:
        offer = _managed(request, pk)
        try:
            services.offer_submit_for_approval(offer=offer, actor=request.user)
        except OfferRefused as exc:
            return _refused(exc)
        return _out(request, pk)


class OfferApproveApi(_OfferApi):
    @extend_schema(
        operation_id="offers_approve",
        summary="Approve or decline (the current approver)",
        description='`{"approve": true}` approves and hands the turn on (the last approval '
        'makes the offer `approved`); `{"approve": false, "comment": "..."}` declines and '
        "sends it back to `draft`. Only the approver whose turn it is may decide (400 "
        "otherwise).",
        request=DecideInputSerializer,
        responses={200: OfferOutputSerializer, 400: REFUSED, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def post(self, request: Request, pk: int) -> Response:
        offer = _offer_or_404(request, pk)
        serializer = DecideInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            services.offer_decide(
                offer=offer,
                approver=request.user,
                approve=serializer.validated_data["approve"],
                comment=serializer.validated_data["comment"],
            )
        except OfferRefused as exc:
            return _refused(exc)
        return _out(request, pk)


class OfferSendApi(_OfferApi):
    @extend_schema(
        operation_id="offers_send",
        summary="Send an approved offer to the candidate",
        description="Emails the candidate a signed link to read and answer the offer; any "
        "older link stops working.",
        request=SendInputSerializer,
        responses={200: OfferOutputSerializer, 400: REFUSED, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def post(self, request: Request, pk: int) -> Response:
        offer = _managed(request, pk)
        serializer = SendInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            services.offer_send(
                offer=offer,
                actor=request.user,
                expires_in_days=serializer.validated_data["expires_in_days"],
            )
        except OfferRefused as exc:
            return _refused(exc)
        return _out(request, pk)


class OfferWithdrawApi(_OfferApi):
    @extend_schema(
        operation_id="offers_withdraw",
        summary="Withdraw an offer",
        description="The candidate's link stops working at once.",
        request=WithdrawInputSerializer,
        responses={200: OfferOutputSerializer, 400: REFUSED, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def post(self, request: Request, pk: int) -> Response:
        offer = _managed(request, pk)
        serializer = WithdrawInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            services.offer_withdraw(
                offer=offer, actor=request.user, reason=serializer.validated_data["reason"]
            )
        except OfferRefused as exc:
            return _refused(exc)
        return _out(request, pk)
