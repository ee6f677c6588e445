from django.apps import AppConfig


class NurtureConfig(AppConfig):
    name = "nurture"
    verbose_name = "Nurture"

    def ready(self) -> None:
        from config.core.panels import (
            BulkAction,
            register_candidate_bulk_action,
            register_profile_panel,
        )
        from config.core.roles import Role

        from .profile import nurture_panel

        register_profile_panel(nurture_panel)
        register_candidate_bulk_action(
            BulkAction("Enroll selected in a sequence…", "nurture:bulk-enroll", (Role.RECRUITER,))
        )
