"""Demo users for `make run` (development settings only; production refuses to load them)."""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from .roles import Role, assign_roles


@dataclass(frozen=True)
class DemoUser:
    username: str
    password: str
    role: str
    first_name: str
    last_name: str

    @property
    def email(self) -> str:
        return f"{self.username}@demo.talentloop.localhost"


DEMO_PASSWORD = "talentloop-demo"  # noqa: S105 - demo data only, refused in production
DEMO_USERS = (
    DemoUser("recruiter", DEMO_PASSWORD, Role.RECRUITER, "Riley", "Recruiter"),
    DemoUser("manager", DEMO_PASSWORD, Role.HIRING_MANAGER, "Morgan", "Manager"),
    DemoUser("interviewer", DEMO_PASSWORD, Role.INTERVIEWER, "Ira", "Interviewer"),
    DemoUser("admin", DEMO_PASSWORD, "Admin", "Ada", "Admin"),
)


class DemoDataRefused(Exception):
    pass


@transaction.atomic
def demo_users_load() -> dict[str, int]:
    """Create or refresh the demo users. Idempotent: a second run creates nothing."""
    if not getattr(settings, "DEMO_DATA_ALLOWED", False):
        raise DemoDataRefused("demo data is disabled in these settings (production?)")
    user_model = get_user_model()
    created = 0
    for demo in DEMO_USERS:
        user, was_created = user_model.objects.get_or_create(
            username=demo.username,
            defaults={
                "first_name": demo.first_name,
                "last_name": demo.last_name,
                "email": demo.email,
                "is_staff": demo.role == "Admin",
                "is_superuser": demo.role == "Admin",
            },
        )
        if was_created:
            user.set_password(demo.password)
            user.save(update_fields=["password"])
            created += 1
        if demo.role != "Admin":
            assign_roles(user, [demo.role])
    return {"users_created": created, "users_total": len(DEMO_USERS)}
