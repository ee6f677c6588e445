"""The public read-only job board API, mounted at /api/v1/public/ (namespace ``api``)."""

from django.urls import path

from . import api

urlpatterns = [
    path("jobs/", api.PublicJobListApi.as_view(), name="public-jobs"),
    path("jobs/<slug:slug>/", api.PublicJobDetailApi.as_view(), name="public-job-detail"),
]
