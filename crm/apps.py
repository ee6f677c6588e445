from django.apps import AppConfig


class CrmConfig(AppConfig):
    name = "crm"
    verbose_name = "Candidates and CRM"

    def ready(self) -> None:
        """Register the profile's "Pools" card (the view imports models and forms, so only once
        the app registry is ready)."""
        from config.core.panels import register_profile_panel  # noqa: PLC0415 - see above

        from .views.pools import pools_panel  # noqa: PLC0415 - see above

        register_profile_panel(pools_panel)
