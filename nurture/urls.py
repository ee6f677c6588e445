"""The recruiter screens of the nurture engine (included at the site root, "nurture" namespace).
The public links in messages live in nurture.urls_public, the API in nurture.api_urls."""

from django.urls import path

from . import views

app_name = "nurture"
urlpatterns = [
    path("sequences/", views.sequence_list, name="sequences"),
    path("sequences/new/", views.sequence_new, name="sequence-new"),
    path("sequences/enroll/", views.bulk_enroll, name="bulk-enroll"),
    path("sequences/inbound/", views.inbound_list, name="inbound"),
    path("sequences/alerts/", views.alert_list, name="alerts"),
    path("sequences/<int:pk>/", views.sequence_detail, name="sequence"),
    path("sequences/<int:pk>/steps/", views.step_add, name="step-add"),
    path("sequences/<int:pk>/steps/<int:step_pk>/", views.step_edit, name="step-edit"),
    path("sequences/<int:pk>/steps/<int:step_pk>/move/", views.step_move_view, name="step-move"),
    path(
        "sequences/<int:pk>/steps/<int:step_pk>/delete/",
        views.step_delete_view,
        name="step-delete",
    ),
    path("sequences/<int:pk>/preview/", views.sequence_preview, name="sequence-preview"),
    path("sequences/<int:pk>/enrollments/", views.enrollment_list, name="enrollments"),
    path(
        "sequences/<int:pk>/enrollments/<int:enrollment_pk>/<str:action>/",
        views.enrollment_action,
        name="enrollment-action",
    ),
    path("candidates/<int:pk>/enroll/", views.candidate_enroll, name="candidate-enroll"),
    path("tasks/", views.task_list, name="tasks"),
    path("tasks/<int:pk>/done/", views.task_done, name="task-done"),
]
