from django.urls import path

from . import views

app_name = "nurture"
urlpatterns = [
    path("sequences/", views.sequence_list, name="sequences"),
]
