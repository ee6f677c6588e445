"""Strict environment reading.

Every setting that comes from the environment goes through one of these readers. A missing or
malformed value raises :class:`EnvError` with one line naming the variable and the expected form;
``manage.py``, ``wsgi.py`` and the launcher print that line and exit instead of a traceback.
"""

from __future__ import annotations

import os
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}
_MISSING = object()


class EnvError(Exception):
    """A bad or missing environment variable; ``str()`` is one line meant for a person."""


def _raw(name: str, default: Any = _MISSING) -> Any:
    """The trimmed value, or ``default`` (of any type) when unset or blank."""
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        if default is _MISSING:
            raise EnvError(f"{name} is not set")
        return default
    return value.strip()


def env_str(name: str, default=_MISSING) -> str | None:
    return _raw(name, default)


def env_bool(name: str, default: bool | object = _MISSING) -> bool:
    value = _raw(name, default)
    if isinstance(value, bool):
        return value
    lowered = value.lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise EnvError(f"{name}={value!r} is not a boolean; expected one of 1/0, true/false, yes/no")


def env_int(name: str, default: int | object = _MISSING, *, minimum: int = 0, maximum=None) -> int:
    value = _raw(name, default)
    if isinstance(value, int):
        return value
    try:
        number = int(value)
    except ValueError:
        raise EnvError(f"{name}={value!r} is not an integer") from None
    if number < minimum or (maximum is not None and number > maximum):
        upper = f" and {maximum}" if maximum is not None else ""
        raise EnvError(
            f"{name}={number} is out of range; expected a number between {minimum}{upper}"
        )
    return number


def env_list(name: str, default: list[str] | object = _MISSING) -> list[str]:
    value = _raw(name, default)
    if isinstance(value, list):
        return value
    items = [item.strip() for item in value.split(",") if item.strip()]
    if not items:
        raise EnvError(f"{name}={value!r} is empty; expected a comma-separated list")
    return items


def env_database_url(name: str = "DATABASE_URL") -> dict | None:
    """Parse ``postgres://user:pass@host:port/name`` into a Django DATABASES entry (None if unset)."""
    value = _raw(name, None)
    if value is None:
        return None
    form = "postgres://USER[:PASSWORD]@HOST[:PORT]/NAME"
    parts = urlsplit(value)
    if parts.scheme not in {"postgres", "postgresql", "pgsql"}:
        raise EnvError(
            f"{name} must be a PostgreSQL URL of the form {form} (got scheme {parts.scheme!r})"
        )
    query = parse_qs(parts.query)
    host = query.pop("host", [parts.hostname or ""])[0]
    db_name = unquote(parts.path.lstrip("/"))
    if not db_name or not host:
        raise EnvError(f"{name} must be of the form {form}; host and database name are required")
    try:
        port = parts.port
    except ValueError:
        raise EnvError(f"{name} has a bad port; expected the form {form}") from None
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": db_name,
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": host,
        "PORT": str(port or ""),
        "OPTIONS": {key: values[0] for key, values in query.items()},
    }


def env_redis_url(name: str = "REDIS_URL") -> str | None:
    """Validate ``redis://``, ``rediss://`` or ``unix://`` URLs (None if unset)."""
    value = _raw(name, None)
    if value is None:
        return None
    parts = urlsplit(value)
    if parts.scheme in {"redis", "rediss"}:
        try:
            parts.port  # noqa: B018 - raises on a malformed port
        except ValueError:
            raise EnvError(f"{name} has a bad port; expected redis://HOST:PORT/DB") from None
        if not parts.hostname:
            raise EnvError(f"{name} must be of the form redis://HOST:PORT/DB (no host given)")
        return value
    if parts.scheme == "unix" and parts.path:
        return value
    raise EnvError(f"{name} must be of the form redis://HOST:PORT/DB or unix:///path/to/socket")


def env_email_url(name: str = "EMAIL_URL", default=_MISSING) -> dict:
    """Parse EMAIL_URL into Django email settings.

    Forms: ``smtp://[USER:PASS@]HOST[:PORT]`` (STARTTLS with ``?tls=1``), ``smtps://...`` (implicit
    TLS), ``outbox://`` (store each message as an .eml file for /outbox/), ``console://``.
    """
    value = _raw(name, default)
    parts = urlsplit(value)
    form = "smtp://USER:PASS@HOST:PORT, smtps://..., outbox:// or console://"
    if parts.scheme == "outbox":
        return {"EMAIL_BACKEND": "config.core.mail.OutboxEmailBackend"}
    if parts.scheme == "console":
        return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    if parts.scheme not in {"smtp", "smtps"}:
        raise EnvError(f"{name}={value!r} is not supported; expected {form}")
    if not parts.hostname:
        raise EnvError(f"{name} needs a host; expected {form}")
    try:
        port = parts.port
    except ValueError:
        raise EnvError(f"{name} has a bad port; expected {form}") from None
    query = parse_qs(parts.query)
    use_ssl = parts.scheme == "smtps"
    use_tls = query.get("tls", ["0"])[0].lower() in _TRUE
    return {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": parts.hostname,
        "EMAIL_PORT": port or (465 if use_ssl else 587 if use_tls else 25),
        "EMAIL_HOST_USER": unquote(parts.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
        "EMAIL_USE_SSL": use_ssl,
        "EMAIL_USE_TLS": use_tls and not use_ssl,
        "EMAIL_TIMEOUT": 10,
    }
