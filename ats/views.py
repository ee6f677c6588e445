from config.core.roles import Role, role_required
from config.core.views import placeholder


@role_required(Role.RECRUITER, Role.HIRING_MANAGER)
def job_list(request):
    """Recruiters see every job; hiring managers (later) only the jobs they are on."""
    return placeholder(
        request,
        title="Jobs",
        summary="Requisitions, pipelines and the board.",
        coming_with="the ATS pipeline and career page issue",
    )


@role_required(Role.INTERVIEWER, Role.HIRING_MANAGER)
def interview_list(request):
    return placeholder(
        request,
        title="Interviews",
        summary="Your upcoming interviews and the scorecards to submit.",
        coming_with="the interviews and scorecards issue",
    )
