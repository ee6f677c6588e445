from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template import loader

from . import throttle
from .tasks import send_email


class ThrottledAuthenticationForm(AuthenticationForm):
    """Django's login form, refusing further attempts after repeated failures (see throttle)."""

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        address = throttle.client_address(self.request) if self.request else ""
        if username and throttle.login_blocked(username, address):
            minutes = max(1, settings.LOGIN_FAILURE_WINDOW // 60)
            raise ValidationError(
                f"Too many failed attempts. Try again in {minutes} minutes or reset your password.",
                code="throttled",
            )
        try:
            cleaned = super().clean()
        except ValidationError:
            if username:
                throttle.login_failed(username, address)
            raise
        throttle.login_succeeded(username, address)
        return cleaned


class QueuedPasswordResetForm(PasswordResetForm):
    """Password reset whose email goes through Celery, so the page answers at once and a
    slow or failing SMTP server is retried by the worker instead of failing the request."""

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        html = (
            loader.render_to_string(html_email_template_name, context)
            if html_email_template_name
            else None
        )
        kwargs = {
            "subject": subject,
            "body": body,
            "to": [to_email],
            "from_email": from_email,
            "html": html,
        }
        transaction.on_commit(lambda: send_email.delay(**kwargs))


def parse_id(value) -> int | None:
    """A row id from a form or query value: digits only and within bigint, else None (the
    caller answers with its own message; never a 500 from int() or the database)."""
    text = str(value if value is not None else "").strip()
    # isascii: "²" and other Unicode digits pass isdigit() but not int()
    return int(text) if text.isascii() and text.isdigit() and len(text) < 19 else None
