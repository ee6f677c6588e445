"""URL patterns for crm's search pages (included by crm/urls.py in the crm namespace).

The page itself is ``crm:candidates`` (crm/urls.py); these are its actions."""

from django.urls import path

from . import views_search

urlpatterns = [
    path("candidates/facets/", views_search.candidate_facets, name="candidate-facets"),
    path("candidates/saved/", views_search.saved_search_create, name="search-save"),
    path(
        "candidates/saved/<int:pk>/delete/",
        views_search.saved_search_delete,
        name="search-delete",
    ),
    path("candidates/bulk/tag/", views_search.bulk_tag, name="bulk-tag"),
    path("candidates/export.csv", views_search.export_csv, name="export-csv"),
]
