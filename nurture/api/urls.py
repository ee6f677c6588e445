"""API v1 routes for the nurture engine (included by config/urls.py under /api/v1/, "api"
namespace)."""

from django.urls import path

from nurture.api import views as api

urlpatterns = [
    path("sequences/", api.SequenceListApi.as_view(), name="sequences"),
    path("sequences/<int:pk>/", api.SequenceDetailApi.as_view(), name="sequence-detail"),
    path(
        "sequences/<int:pk>/enrollments/",
        api.SequenceEnrollmentListApi.as_view(),
        name="sequence-enrollments",
    ),
    path("enrollments/<int:pk>/", api.EnrollmentDetailApi.as_view(), name="enrollment-detail"),
    path("enrollments/<int:pk>/stop/", api.EnrollmentStopApi.as_view(), name="enrollment-stop"),
]
