from django.apps import AppConfig

from config.core.panels import BulkAction, register_candidate_bulk_action, register_profile_panel


class NurtureConfig(AppConfig):
    name = "nurture"
    verbose_name = "Nurture"

    def ready(self) -> None:
        # Both import Django's auth views and models, which need the app registry ready.
        from config.core.roles import Role  # noqa: PLC0415 - needs the app registry
        from nurture.views.profile import nurture_panel  # noqa: PLC0415 - needs the app registry

        register_profile_panel(nurture_panel)
        register_candidate_bulk_action(
            BulkAction("Enroll selected in a sequence…", "nurture:bulk-enroll", (Role.RECRUITER,))
        )
