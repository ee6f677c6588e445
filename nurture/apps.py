from django.apps import AppConfig

from config.core.panels import BulkAction, register_candidate_bulk_action, register_profile_panel
from config.core.pool_conditions import parse_days, register_pool_condition


class NurtureConfig(AppConfig):
    name = "nurture"
    verbose_name = "Nurture"

    def ready(self) -> None:
        # Both import Django's auth views and models, which need the app registry ready.
        from config.core.roles import Role  # noqa: PLC0415 - needs the app registry
        from nurture.selectors import pool_conditions  # noqa: PLC0415 - needs the app registry
        from nurture.views.profile import nurture_panel  # noqa: PLC0415 - needs the app registry

        register_profile_panel(nurture_panel)
        register_candidate_bulk_action(
            BulkAction("Enroll selected in a sequence…", "nurture:bulk-enroll", (Role.RECRUITER,))
        )
        register_pool_condition(
            "engaged_within_days",
            pool_conditions.engaged_within_days,
            parse=parse_days,
            label="Opened, clicked, replied or said “keep me posted” within N days",
            help="a number of days",
        )
        register_pool_condition(
            "not_engaged_for_days",
            pool_conditions.not_engaged_for_days,
            parse=parse_days,
            label="Written to, but no engagement for N days",
            help="a number of days",
        )
        register_pool_condition(
            "engaged_with_sequence",
            pool_conditions.engaged_with_sequence,
            parse=pool_conditions.parse_sequence,
            label="Opened, clicked or replied to a message of a sequence",
            help="the sequence's id or exact name",
        )
