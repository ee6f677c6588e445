from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Lower


class User(AbstractUser):
    """A person who logs in: a recruiter, hiring manager, interviewer or administrator.

    Roles are Django groups (see :mod:`config.core.roles`); candidates never log in as users.
    Email is unique, case-insensitively, when set, because password resets are sent to it.
    """

    class Meta:
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                condition=~models.Q(email=""),
                name="core_user_email_ci_unique",
            )
        ]

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username
