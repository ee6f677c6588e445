"""The nurture engine's pages. ``urlpatterns``: the recruiter screens (included at the site
root, "nurture" namespace). ``public_urlpatterns``: the links in our messages and the
inbound-mail webhook, no login (included under /n/, "nurture_public" namespace). The API's
routes are in nurture.api.urls."""

from django.urls import path

from nurture.views import alerts, enrollments, inbound, public, sequences, tasks

app_name = "nurture"
urlpatterns = [
    path("sequences/", sequences.sequence_list, name="sequences"),
    path("sequences/new/", sequences.sequence_new, name="sequence-new"),
    path("sequences/enroll/", enrollments.bulk_enroll, name="bulk-enroll"),
    path("sequences/inbound/", inbound.inbound_list, name="inbound"),
    path("sequences/alerts/", alerts.alert_list, name="alerts"),
    path("sequences/<int:pk>/", sequences.sequence_detail, name="sequence"),
    path("sequences/<int:pk>/steps/", sequences.step_add, name="step-add"),
    path("sequences/<int:pk>/steps/<int:step_pk>/", sequences.step_edit, name="step-edit"),
    path(
        "sequences/<int:pk>/steps/<int:step_pk>/move/",
        sequences.step_move_view,
        name="step-move",
    ),
    path(
        "sequences/<int:pk>/steps/<int:step_pk>/delete/",
        sequences.step_delete_view,
        name="step-delete",
    ),
    path("sequences/<int:pk>/preview/", sequences.sequence_preview, name="sequence-preview"),
    path("sequences/<int:pk>/enrollments/", enrollments.enrollment_list, name="enrollments"),
    path(
        "sequences/<int:pk>/enrollments/<int:enrollment_pk>/<str:action>/",
        enrollments.enrollment_action,
        name="enrollment-action",
    ),
    path("candidates/<int:pk>/enroll/", enrollments.candidate_enroll, name="candidate-enroll"),
    path("tasks/", tasks.task_list, name="tasks"),
    path("tasks/<int:pk>/done/", tasks.task_done, name="task-done"),
]

PUBLIC_APP_NAME = "nurture_public"
public_urlpatterns = [
    path("o/<str:token>.gif", public.open_pixel, name="open"),
    path("c/<str:token>/", public.click, name="click"),
    path("u/<str:token>/", public.unsubscribe, name="unsubscribe"),
    path("k/<str:token>/", public.keep_posted, name="keep-posted"),
    path("inbound/", public.inbound, name="inbound"),
]
