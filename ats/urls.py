from django.urls import include, path

from . import views, views_review

app_name = "ats"
urlpatterns = [
    path("jobs/", views.job_list, name="jobs"),
    path("jobs/new/", views.job_new, name="job-new"),
    path("jobs/<int:pk>/edit/", views.job_edit, name="job-edit"),
    path("jobs/<int:pk>/status/", views.job_status, name="job-status"),
    path("jobs/<int:pk>/setup/", views.job_setup, name="job-setup"),
    path("jobs/<int:pk>/stages/<int:stage_id>/", views.stage_change, name="stage-change"),
    path("jobs/<int:pk>/questions/", views.question_add, name="question-add"),
    path(
        "jobs/<int:pk>/questions/<int:question_id>/",
        views.question_change,
        name="question-change",
    ),
    path("review/", views_review.review_inbox, name="review"),
    path("review/<int:pk>/", views_review.review_decide, name="review-decide"),
    path(
        "candidates/<int:pk>/applications/",
        views_review.candidate_add_to_job,
        name="candidate-add-to-job",
    ),
    path("applications/<int:pk>/move/", views_review.application_move, name="application-move"),
    path(
        "applications/<int:pk>/reject/", views_review.application_reject, name="application-reject"
    ),
    path("interviews/", views.interview_list, name="interviews"),
    path("", include("ats.urls_board")),
]
