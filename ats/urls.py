from django.urls import include, path

from . import views

app_name = "ats"
urlpatterns = [
    path("jobs/", views.job_list, name="jobs"),
    path("interviews/", views.interview_list, name="interviews"),
    path("", include("ats.urls_board")),
]
