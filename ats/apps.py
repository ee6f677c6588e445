from django.apps import AppConfig

from config.core.panels import (
    BulkAction,
    register_candidate_bulk_action,
    register_limited_profile_panel,
    register_profile_panel,
)
from config.core.pool_conditions import parse_true, register_pool_condition
from config.core.scopes import register_candidate_scope


class AtsConfig(AppConfig):
    name = "ats"
    verbose_name = "Applicant tracking"

    def ready(self) -> None:
        """Register the profile's applications panel and the candidate scopes of hiring managers
        and interviewers (these modules import models, so only once the registry is ready)."""
        from config.core.roles import Role  # noqa: PLC0415 - AppConfig.ready: imports auth models

        from .selectors import (  # noqa: PLC0415 - AppConfig.ready: imports models
            candidates,
            pool_conditions,
        )
        from .views import profile  # noqa: PLC0415 - AppConfig.ready: imports models and forms

        register_profile_panel(profile.applications_panel)
        register_limited_profile_panel(profile.interviews_panel)
        register_candidate_bulk_action(
            BulkAction("Add selected to a job…", "ats:bulk-add-to-job", (Role.RECRUITER,))
        )
        register_candidate_scope(Role.HIRING_MANAGER, candidates.candidate_ids_managed_by)
        register_candidate_scope(Role.INTERVIEWER, candidates.candidate_ids_on_panel_of)
        register_pool_condition(
            "stage_reached",
            pool_conditions.stage_reached,
            parse=pool_conditions.parse_stage_reached,
            label="Reached a stage (or later)",
            help="applied, screen, interview, final, offer or hired",
        )
        register_pool_condition(
            "silver_medalist",
            pool_conditions.silver_medalists,
            parse=parse_true,
            label="Rejected after the final round (silver medalist)",
            help="true",
        )
        register_pool_condition(
            "hired", pool_conditions.hired, parse=parse_true, label="Was hired", help="true"
        )
        register_pool_condition(
            "former_employee",
            pool_conditions.former_employees,
            parse=parse_true,
            label="Hired, and later left the company (alumni)",
            help="true",
        )
