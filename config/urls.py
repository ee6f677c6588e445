from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from ats import urls as ats_urls
from config.core import api as core_api
from nurture import urls as nurture_urls

api_v1 = [
    path("me/", core_api.me, name="me"),
    path("schema/", SpectacularAPIView.as_view(api_version="v1"), name="schema"),
    path("", include("crm.api.urls")),
    path("", include("ats.api.urls")),
    path("", include("nurture.api.urls")),
]

urlpatterns = [
    path("", include("config.core.urls")),
    path("", include("crm.urls")),
    path("", include("ats.urls")),
    path("careers/", include(ats_urls.careers)),
    path("", include("nurture.urls")),
    path("", include("analytics.urls")),
    path("api/v1/", include((api_v1, "api"), namespace="api")),
    path("api/schema/", SpectacularAPIView.as_view(api_version="v1"), name="api-schema"),
    path("n/", include((nurture_urls.public_urlpatterns, nurture_urls.PUBLIC_APP_NAME))),
    path("admin/", admin.site.urls),
]
