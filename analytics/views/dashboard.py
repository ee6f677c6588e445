from config.core.roles import Role, role_required
from config.core.views import placeholder


@role_required(Role.RECRUITER, Role.HIRING_MANAGER)
def dashboard(request):
    return placeholder(
        request,
        title="Analytics",
        summary="Time to hire, source effectiveness, stage conversion and campaign performance.",
        coming_with="the analytics issue",
    )
