"""API v1 routes for the ATS (included by config/urls.py under /api/v1/, "api" namespace),
with the public job board under public/."""

from django.urls import path

from . import interviews, matches, offers, public, scorecards, views

urlpatterns = [
    path("jobs/", views.JobListApi.as_view(), name="jobs"),
    path("jobs/<int:pk>/", views.JobDetailApi.as_view(), name="job-detail"),
    path("jobs/<int:pk>/matches/", matches.JobMatchesApi.as_view(), name="job-matches"),
    path("applications/", views.ApplicationListApi.as_view(), name="applications"),
    path(
        "applications/<int:pk>/",
        views.ApplicationDetailApi.as_view(),
        name="application-detail",
    ),
    path(
        "applications/<int:pk>/move/",
        views.ApplicationMoveApi.as_view(),
        name="application-move",
    ),
    path(
        "applications/<int:pk>/reject/",
        views.ApplicationRejectApi.as_view(),
        name="application-reject",
    ),
    path("interviews/", interviews.InterviewListApi.as_view(), name="interviews"),
    path(
        "interviews/<int:pk>/",
        interviews.InterviewDetailApi.as_view(),
        name="interview-detail",
    ),
    path(
        "interviews/<int:pk>/cancel/",
        interviews.InterviewCancelApi.as_view(),
        name="interview-cancel",
    ),
    path("offers/", offers.OfferListApi.as_view(), name="offers"),
    path("offers/<int:pk>/", offers.OfferDetailApi.as_view(), name="offer-detail"),
    path("offers/<int:pk>/submit/", offers.OfferSubmitApi.as_view(), name="offer-submit"),
    path("offers/<int:pk>/approve/", offers.OfferApproveApi.as_view(), name="offer-approve"),
    path("offers/<int:pk>/send/", offers.OfferSendApi.as_view(), name="offer-send"),
    path("offers/<int:pk>/withdraw/", offers.OfferWithdrawApi.as_view(), name="offer-withdraw"),
    path(
        "interviews/<int:pk>/scorecards/",
        scorecards.InterviewScorecardsApi.as_view(),
        name="interview-scorecards",
    ),
    path("rejection-reasons/", views.RejectionReasonListApi.as_view(), name="rejection-reasons"),
    path("public/jobs/", public.PublicJobListApi.as_view(), name="public-jobs"),
    path(
        "public/talent-community/",
        public.TalentCommunitySignupApi.as_view(),
        name="public-talent-community",
    ),
    path(
        "public/jobs/<slug:slug>/",
        public.PublicJobDetailApi.as_view(),
        name="public-job-detail",
    ),
]
