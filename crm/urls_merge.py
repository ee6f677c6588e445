"""URL patterns for crm's merge pages (included by crm/urls.py in the crm namespace)."""

from django.urls import path

from . import views_merge

urlpatterns = [
    path("candidates/duplicates/", views_merge.duplicates, name="duplicates"),
    path(
        "candidates/duplicates/<int:a>/<int:b>/dismiss/",
        views_merge.duplicate_dismiss,
        name="duplicate-dismiss",
    ),
    path("candidates/merge/<int:a>/<int:b>/", views_merge.merge, name="merge"),
    path("candidates/merges/", views_merge.merge_history, name="merge-history"),
    path("candidates/merges/<int:merge_id>/undo/", views_merge.merge_undo, name="merge-undo"),
]
