"""API v1 routes for candidates (included by config/urls.py under /api/v1/, "api" namespace)."""

from django.urls import path

from . import pools
from . import views as api

urlpatterns = [
    path("candidates/", api.CandidateListApi.as_view(), name="candidates"),
    path("candidates/merge/", api.CandidateMergeApi.as_view(), name="candidate-merge"),
    path("candidates/<int:pk>/", api.CandidateDetailApi.as_view(), name="candidate-detail"),
    path(
        "candidates/<int:pk>/timeline/",
        api.CandidateTimelineApi.as_view(),
        name="candidate-timeline",
    ),
    path("pools/", pools.PoolListApi.as_view(), name="pools"),
    path("pools/<int:pk>/", pools.PoolDetailApi.as_view(), name="pool-detail"),
    path("pools/<int:pk>/members/", pools.PoolMembersApi.as_view(), name="pool-members"),
]
