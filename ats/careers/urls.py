"""Public career-site URLs (namespace ``careers``), mounted at /careers/."""

app_name = "careers"
urlpatterns: list = []
