from django.urls import include, path

from . import views, views_search

app_name = "crm"
urlpatterns = [
    path("candidates/", views_search.candidate_list, name="candidates"),
    path("pools/", views.pool_list, name="pools"),
    # Feature modules add their own routes (names stay in the crm namespace).
    path("", include("crm.urls_search")),
    path("", include("crm.urls_profile")),
    path("", include("crm.urls_merge")),
    path("", include("crm.urls_imports")),
]
