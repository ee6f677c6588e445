from django.apps import AppConfig


class AtsConfig(AppConfig):
    name = "ats"
    verbose_name = "Applicant tracking"

    def ready(self) -> None:
        from config.core.panels import register_profile_panel
        from config.core.roles import Role
        from config.core.scopes import register_candidate_scope

        from .profile import applications_panel
        from .selectors import candidate_ids_managed_by, candidate_ids_on_panel_of

        register_profile_panel(applications_panel)
        register_candidate_scope(Role.HIRING_MANAGER, candidate_ids_managed_by)
        register_candidate_scope(Role.INTERVIEWER, candidate_ids_on_panel_of)
