"""API v1 routes for the ATS (included by config/urls.py under /api/v1/, "api" namespace)."""

from django.urls import path

from . import api

urlpatterns = [
    path("jobs/", api.JobListApi.as_view(), name="jobs"),
    path("jobs/<int:pk>/", api.JobDetailApi.as_view(), name="job-detail"),
    path("applications/", api.ApplicationListApi.as_view(), name="applications"),
    path("applications/<int:pk>/", api.ApplicationDetailApi.as_view(), name="application-detail"),
    path("applications/<int:pk>/move/", api.ApplicationMoveApi.as_view(), name="application-move"),
    path(
        "applications/<int:pk>/reject/",
        api.ApplicationRejectApi.as_view(),
        name="application-reject",
    ),
    path("rejection-reasons/", api.RejectionReasonListApi.as_view(), name="rejection-reasons"),
]
