"""The public URLs under /n/: links in our messages and the inbound-mail webhook (no login)."""

from django.urls import path

from . import views_public

app_name = "nurture_public"
urlpatterns = [
    path("o/<str:token>.gif", views_public.open_pixel, name="open"),
    path("c/<str:token>/", views_public.click, name="click"),
    path("u/<str:token>/", views_public.unsubscribe, name="unsubscribe"),
    path("k/<str:token>/", views_public.keep_posted, name="keep-posted"),
    path("inbound/", views_public.inbound, name="inbound"),
]
