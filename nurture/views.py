from config.core.roles import Role, role_required
from config.core.views import placeholder


@role_required(Role.RECRUITER)
def sequence_list(request):
    return placeholder(
        request,
        title="Sequences",
        summary="Multi-step nurture sequences sent on schedule.",
        coming_with="the nurture engine issue",
    )
