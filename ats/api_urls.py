"""Token-authenticated ATS API, mounted at /api/v1/."""

urlpatterns: list = []
