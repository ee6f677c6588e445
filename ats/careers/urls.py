"""Public career-site URLs (namespace ``careers``), mounted at /careers/.

The fixed paths come before ``<slug>/`` so a job can never shadow them."""

from django.urls import path

from . import views

app_name = "careers"
urlpatterns = [
    path("", views.job_list, name="list"),
    path("feeds/indeed.xml", views.indeed_feed, name="indeed"),
    path("sitemap.xml", views.sitemap, name="sitemap"),
    path("privacy/", views.privacy, name="privacy"),
    path("<slug:slug>/", views.job_detail, name="job"),
    path("<slug:slug>/apply/", views.job_apply, name="apply"),
    path("<slug:slug>/applied/", views.job_applied, name="applied"),
]
