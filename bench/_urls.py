"""URLs of the page benches (run, ats): the project's own, plus a floor view that returns a bare
HttpResponse through the same middleware stack; every figure is a ratio to that floor."""

from django.http import HttpResponse
from django.urls import include, path


def floor(request):
    return HttpResponse("ok")


urlpatterns = [path("__bench__/floor", floor), path("", include("config.urls"))]
