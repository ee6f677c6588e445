"""Site-wide views: home, health, outbox, login with demo hints, placeholders for later issues."""

from __future__ import annotations

import logging
from dataclasses import dataclass

import redis
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.db import connections
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse, reverse_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from . import mail
from .demo import DEMO_USERS
from .forms import QueuedPasswordResetForm, ThrottledAuthenticationForm
from .roles import Role, has_role

logger = logging.getLogger(__name__)


# --------------------------------------------------------------------------- home


@dataclass(frozen=True)
class Card:
    title: str
    text: str
    url: str
    cta: str


def _home_cards(user) -> list[Card]:
    cards = []
    if has_role(user, Role.RECRUITER):
        cards += [
            Card(
                "Candidates",
                "Search everyone you know and keep one record per person.",
                reverse("crm:candidates"),
                "Open candidates",
            ),
            Card(
                "Jobs", "Open requisitions and their pipelines.", reverse("ats:jobs"), "Open jobs"
            ),
            Card(
                "Sequences",
                "Nurture sequences and what they sent.",
                reverse("nurture:sequences"),
                "Open sequences",
            ),
        ]
    elif has_role(user, Role.HIRING_MANAGER):
        cards += [
            Card(
                "Your jobs",
                "The requisitions you are hiring for.",
                reverse("ats:jobs"),
                "Open your jobs",
            ),
            Card(
                "Review queue",
                "Applications waiting for your decision.",
                reverse("ats:review"),
                "Open your review queue",
            ),
        ]
    if has_role(user, Role.INTERVIEWER) and not has_role(user, Role.RECRUITER):
        cards.append(
            Card(
                "Your interviews",
                "Upcoming interviews and scorecards to submit.",
                reverse("ats:interviews"),
                "Open interviews",
            )
        )
    return cards


_HEADINGS = (
    (Role.RECRUITER, "Recruiting home", "Pipelines, people and campaigns in one place."),
    (Role.HIRING_MANAGER, "Hiring manager home", "Your jobs and the candidates awaiting you."),
    (Role.INTERVIEWER, "Interviewer home", "Your interviews and scorecards."),
)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Every logged-in user: a home page for their role (empty state when they have none)."""
    heading, intro = "Welcome", "You are signed in."
    for role, role_heading, role_intro in _HEADINGS:
        if has_role(request.user, role):
            heading, intro = role_heading, role_intro
            break
    context = {"heading": heading, "intro": intro, "cards": _home_cards(request.user)}
    return render(request, "core/home.html", context)


def placeholder(request: HttpRequest, *, title: str, summary: str, coming_with: str):
    """A page whose feature lands with a later issue; callers decorate it with their roles."""
    context = {"title": title, "summary": summary, "coming_with": coming_with}
    return render(request, "core/placeholder.html", context)


# --------------------------------------------------------------------------- auth


class LoginView(auth_views.LoginView):
    """Public. Shows the demo logins only where the settings allow (development)."""

    redirect_authenticated_user = True
    authentication_form = ThrottledAuthenticationForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["demo_logins"] = DEMO_USERS if settings.SHOW_DEMO_LOGINS else []
        return context


class PasswordResetView(auth_views.PasswordResetView):
    """Public. Always answers the same, whether or not the address has an account."""

    form_class = QueuedPasswordResetForm
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"
    success_url = reverse_lazy("password_reset_done")


# --------------------------------------------------------------------------- health


def _check_database() -> str | None:
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:
        logger.warning("healthz: database check failed: %s", exc)
        return "unreachable"
    return None


def _check_broker() -> str | None:
    try:
        client = redis.Redis.from_url(
            settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=2
        )
        client.ping()
        client.close()
    except Exception as exc:
        logger.warning("healthz: broker check failed: %s", exc)
        return "unreachable"
    return None


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Public, no login: 200 when the database and the broker answer, 503 naming what is down."""
    checks = {"database": _check_database(), "broker": _check_broker()}
    down = [name for name, problem in checks.items() if problem]
    body: dict[str, object] = {
        "status": "ok" if not down else "down",
        "checks": {name: problem or "ok" for name, problem in checks.items()},
    }
    if down:
        body["down"] = down
    else:
        # Informational only: a stale beat tick does not make the site unhealthy.
        try:
            body["last_beat_tick"] = cache.get("core:beat:last-tick")
        except Exception:
            body["last_beat_tick"] = None
    return JsonResponse(body, status=200 if not down else 503)


# --------------------------------------------------------------------------- outbox


def _outbox_guard(request: HttpRequest) -> None:
    """Staff only, and only where the outbox backend is in use in DEBUG; 404 otherwise."""
    if not settings.DEBUG or settings.EMAIL_BACKEND != "config.core.mail.OutboxEmailBackend":
        raise Http404
    if not (request.user.is_authenticated and request.user.is_staff):
        raise Http404


@require_GET
def outbox_list(request: HttpRequest) -> HttpResponse:
    _outbox_guard(request)
    return render(request, "core/outbox_list.html", {"messages_out": mail.list_mail()})


@require_GET
def outbox_detail(request: HttpRequest, mail_id: str) -> HttpResponse:
    _outbox_guard(request)
    found = mail.read_mail(mail_id)
    if found is None:
        raise Http404
    return render(request, "core/outbox_detail.html", {"mail": found})


@require_GET
def outbox_html(request: HttpRequest, mail_id: str) -> HttpResponse:
    """The HTML part, for a sandboxed iframe: its own CSP allows inline styles, never scripts."""
    _outbox_guard(request)
    found = mail.read_mail(mail_id)
    if found is None or not found.html:
        raise Http404
    response = HttpResponse(found.html, content_type="text/html; charset=utf-8")
    response.headers["Content-Security-Policy"] = (
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox"
    )
    response.headers["X-Frame-Options"] = "SAMEORIGIN"
    return response


@require_GET
def outbox_raw(request: HttpRequest, mail_id: str) -> HttpResponse:
    _outbox_guard(request)
    raw = mail.raw_mail(mail_id)
    if raw is None:
        raise Http404
    response = HttpResponse(raw, content_type="message/rfc822")
    response.headers["Content-Disposition"] = f'attachment; filename="{mail_id}.eml"'
    return response
