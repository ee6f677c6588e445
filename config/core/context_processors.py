from .navigation import nav_items_for
from .roles import role_labels


def navigation(request):
    """Navigation and role badges for the base layout (empty for anonymous visitors)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "user_role_labels": []}
    return {
        "nav_items": nav_items_for(user, request.path),
        "user_role_labels": role_labels(user),
    }
