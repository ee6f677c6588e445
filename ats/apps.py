from django.apps import AppConfig


class AtsConfig(AppConfig):
    name = "ats"
    verbose_name = "Applicant tracking"

    def ready(self) -> None:
        from config.core.panels import register_profile_panel

        from .profile import applications_panel

        register_profile_panel(applications_panel)
