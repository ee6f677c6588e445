from django.apps import AppConfig

from config.core.panels import register_limited_profile_panel, register_profile_panel
from config.core.scopes import register_candidate_scope


class AtsConfig(AppConfig):
    name = "ats"
    verbose_name = "Applicant tracking"

    def ready(self) -> None:
        """Register the profile's applications panel and the candidate scopes of hiring managers
        and interviewers (these modules import models, so only once the registry is ready)."""
        from config.core.roles import Role  # noqa: PLC0415 - AppConfig.ready: imports auth models

        from .selectors import candidates  # noqa: PLC0415 - AppConfig.ready: imports models
        from .views import profile  # noqa: PLC0415 - AppConfig.ready: imports models and forms

        register_profile_panel(profile.applications_panel)
        register_limited_profile_panel(profile.interviews_panel)
        register_candidate_scope(Role.HIRING_MANAGER, candidates.candidate_ids_managed_by)
        register_candidate_scope(Role.INTERVIEWER, candidates.candidate_ids_on_panel_of)
