"""Talent pools (a placeholder page until pools exist)."""

from config.core.roles import Role, role_required
from config.core.views import placeholder


@role_required(Role.RECRUITER)
def pool_list(request):
    return placeholder(
        request,
        title="Talent pools",
        summary="Static and rule-based pools and segments.",
        coming_with="the talent pools and segments issue",
    )
