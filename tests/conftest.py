"""Shared fixtures: users with fixed roles, a real Celery worker, a real SMTP server on loopback."""

from __future__ import annotations

import os
import socket
import threading
import time
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller
from celery.contrib.testing.worker import start_worker
from django.core.cache import cache

from config.celery import app
from config.core.roles import Role
from config.embedded import ensure_for_command
from tests.factories import PASSWORD, UserFactory


def pytest_configure(config):
    """Importing settings starts nothing: with no DATABASE_URL/REDIS_URL, start the embedded
    servers the suite connects to here (as manage.py does)."""
    ensure_for_command(os.environ.get("DJANGO_SETTINGS_MODULE", ""))


@pytest.fixture(autouse=True)
def _clear_cache():
    """Each test starts with an empty cache (login throttling, heartbeat...)."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def password() -> str:
    return PASSWORD


@pytest.fixture
def recruiter(db):
    return UserFactory(username="rita", roles=[Role.RECRUITER])


@pytest.fixture
def manager(db):
    return UserFactory(username="mo", roles=[Role.HIRING_MANAGER])


@pytest.fixture
def interviewer(db):
    return UserFactory(username="ian", roles=[Role.INTERVIEWER])


@pytest.fixture
def outsider(db):
    """Logged in, but holds no role."""
    return UserFactory(username="otto")


@pytest.fixture
def admin_user(db):
    return UserFactory(username="ada", is_staff=True, is_superuser=True)


@pytest.fixture
def users(recruiter, manager, interviewer, outsider, admin_user):
    return {
        "recruiter": recruiter,
        "manager": manager,
        "interviewer": interviewer,
        "outsider": outsider,
        "admin": admin_user,
    }


# --------------------------------------------------------------------------- Celery


@pytest.fixture
def celery_worker(transactional_db):
    """A real Celery worker (solo pool, in a thread) consuming the real broker (Redis/Valkey).

    Needs ``transactional_db``: the worker thread has its own database connection and sees only
    committed rows.
    """

    app.control.purge()
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10) as worker:
        yield worker


def wait_for(predicate, timeout: float = 20.0, interval: float = 0.05):
    """Poll ``predicate`` until it returns something truthy; fail the test after ``timeout``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        time.sleep(interval)
    pytest.fail(f"condition not met within {timeout}s")


# --------------------------------------------------------------------------- SMTP


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _Inbox:
    def __init__(self):
        self.messages = []
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        parsed = message_from_bytes(envelope.content, policy=policy.default)
        with self._lock:
            self.messages.append(
                {"from": envelope.mail_from, "to": list(envelope.rcpt_tos), "message": parsed}
            )
        return "250 OK"


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on 127.0.0.1; Django's SMTP backend is pointed at it."""
    inbox = _Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    try:
        yield inbox
    finally:
        controller.stop()
