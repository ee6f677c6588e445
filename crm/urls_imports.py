"""URL patterns for crm's imports pages (included by crm/urls.py in the crm namespace)."""

from django.urls import path

from . import views_imports as views

urlpatterns = [
    path("candidates/import/", views.import_start, name="import-start"),
    path("candidates/import/<int:pk>/", views.import_detail, name="import-detail"),
    path("candidates/import/<int:pk>/progress/", views.import_progress, name="import-progress"),
    path("candidates/import/<int:pk>/run/", views.import_run, name="import-run"),
    path(
        "candidates/import/<int:pk>/rejected.csv",
        views.import_rejected_csv,
        name="import-rejected-csv",
    ),
    path(
        "candidates/<int:pk>/json-resume/",
        views.candidate_json_resume,
        name="candidate-json-resume",
    ),
]
