"""URL patterns for crm's profile pages (included by crm/urls.py in the crm namespace)."""

from django.urls import path

from . import views_profile, views_profile_resume

urlpatterns = [
    path("candidates/new/", views_profile.candidate_new, name="candidate-new"),
    path("candidates/<int:pk>/", views_profile.candidate_detail, name="candidate-detail"),
    path("candidates/<int:pk>/edit/", views_profile.candidate_edit, name="candidate-edit"),
    path("candidates/<int:pk>/notes/", views_profile.candidate_note, name="candidate-note"),
    path(
        "candidates/<int:pk>/timeline/",
        views_profile.candidate_timeline,
        name="candidate-timeline",
    ),
    path("candidates/<int:pk>/do-not-contact/", views_profile.candidate_dnc, name="candidate-dnc"),
    path(
        "candidates/<int:pk>/resumes/",
        views_profile_resume.candidate_resume_upload,
        name="candidate-resume-upload",
    ),
    path(
        "candidates/<int:pk>/resumes/<int:resume_id>/",
        views_profile_resume.candidate_resume,
        name="candidate-resume",
    ),
    path(
        "candidates/<int:pk>/resumes/<int:resume_id>/status/",
        views_profile_resume.candidate_resume_status,
        name="candidate-resume-status",
    ),
    path(
        "candidates/<int:pk>/resumes/<int:resume_id>/reparse/",
        views_profile_resume.candidate_resume_reparse,
        name="candidate-resume-reparse",
    ),
]
