"""crm's pages (in the ``crm`` namespace); the API's routes are crm/api/urls.py."""

from django.urls import path

from .views import imports, merge, pools, profile, resumes, search

app_name = "crm"
urlpatterns = [
    # search
    path("candidates/", search.candidate_list, name="candidates"),
    path("pools/", pools.pool_list, name="pools"),
    path("pools/new/", pools.pool_new, name="pool-new"),
    path("pools/add/", pools.pool_bulk_add, name="pool-bulk-add"),
    path("pools/<int:pk>/", pools.pool_detail, name="pool-detail"),
    path("pools/<int:pk>/edit/", pools.pool_edit, name="pool-edit"),
    path("pools/<int:pk>/refresh/", pools.pool_refresh_now, name="pool-refresh"),
    path("pools/<int:pk>/tag/", pools.pool_bulk_tag, name="pool-tag"),
    path("pools/<int:pk>/remove/", pools.pool_bulk_remove, name="pool-remove"),
    path("candidates/facets/", search.candidate_facets, name="candidate-facets"),
    path("candidates/saved/", search.saved_search_create, name="search-save"),
    path("candidates/saved/<int:pk>/delete/", search.saved_search_delete, name="search-delete"),
    path("candidates/bulk/tag/", search.bulk_tag, name="bulk-tag"),
    path("candidates/export.csv", search.export_csv, name="export-csv"),
    # profile
    path("candidates/new/", profile.candidate_new, name="candidate-new"),
    path("candidates/<int:pk>/", profile.candidate_detail, name="candidate-detail"),
    path("candidates/<int:pk>/edit/", profile.candidate_edit, name="candidate-edit"),
    path("candidates/<int:pk>/notes/", profile.candidate_note, name="candidate-note"),
    path("candidates/<int:pk>/timeline/", profile.candidate_timeline, name="candidate-timeline"),
    path("candidates/<int:pk>/do-not-contact/", profile.candidate_dnc, name="candidate-dnc"),
    path(
        "candidates/<int:pk>/resumes/",
        resumes.candidate_resume_upload,
        name="candidate-resume-upload",
    ),
    path(
        "candidates/<int:pk>/resumes/<int:resume_id>/",
        resumes.candidate_resume,
        name="candidate-resume",
    ),
    path(
        "candidates/<int:pk>/resumes/<int:resume_id>/status/",
        resumes.candidate_resume_status,
        name="candidate-resume-status",
    ),
    path(
        "candidates/<int:pk>/resumes/<int:resume_id>/reparse/",
        resumes.candidate_resume_reparse,
        name="candidate-resume-reparse",
    ),
    # merge
    path("candidates/duplicates/", merge.duplicates, name="duplicates"),
    path(
        "candidates/duplicates/<int:a>/<int:b>/dismiss/",
        merge.duplicate_dismiss,
        name="duplicate-dismiss",
    ),
    path("candidates/merge/<int:a>/<int:b>/", merge.merge, name="merge"),
    path("candidates/merges/", merge.merge_history, name="merge-history"),
    path("candidates/merges/<int:merge_id>/undo/", merge.merge_undo, name="merge-undo"),
    # imports
    path("candidates/import/", imports.import_start, name="import-start"),
    path("candidates/import/<int:pk>/", imports.import_detail, name="import-detail"),
    path("candidates/import/<int:pk>/progress/", imports.import_progress, name="import-progress"),
    path("candidates/import/<int:pk>/run/", imports.import_run, name="import-run"),
    path(
        "candidates/import/<int:pk>/rejected.csv",
        imports.import_rejected_csv,
        name="import-rejected-csv",
    ),
    path(
        "candidates/<int:pk>/json-resume/",
        imports.candidate_json_resume,
        name="candidate-json-resume",
    ),
]
