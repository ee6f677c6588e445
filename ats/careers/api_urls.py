"""The public read-only job board API, mounted at /api/v1/public/."""

urlpatterns: list = []
