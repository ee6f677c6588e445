import os
import subprocess
import sys
from pathlib import Path

import pytest

from config.env import (
    EnvError,
    env_bool,
    env_database_url,
    env_email_url,
    env_int,
    env_list,
    env_redis_url,
)

ROOT = Path(__file__).resolve().parents[2]


def test_env_bool_accepts_common_spellings(monkeypatch):
    monkeypatch.setenv("FLAG", "Yes")
    assert env_bool("FLAG") is True
    monkeypatch.setenv("FLAG", "0")
    assert env_bool("FLAG") is False


def test_env_bool_rejects_garbage_naming_the_variable(monkeypatch):
    monkeypatch.setenv("DEBUG", "maybe")
    with pytest.raises(EnvError, match=r"^DEBUG='maybe' is not a boolean"):
        env_bool("DEBUG")


def test_env_missing_required_value_names_it(monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(EnvError, match="SECRET_KEY is not set"):
        env_list("SECRET_KEY")


def test_env_int_range_and_type(monkeypatch):
    monkeypatch.setenv("PORT", "80a")
    with pytest.raises(EnvError, match="PORT='80a' is not an integer"):
        env_int("PORT")
    monkeypatch.setenv("PORT", "70000")
    with pytest.raises(EnvError, match="out of range"):
        env_int("PORT", minimum=1, maximum=65535)
    monkeypatch.delenv("PORT")
    assert env_int("PORT", 8000) == 8000


def test_env_database_url_parses_tcp_and_socket_forms(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://app:s%40cret@db.internal:6543/ats")
    parsed = env_database_url()
    assert parsed["HOST"] == "db.internal"
    assert parsed["PORT"] == "6543"
    assert parsed["PASSWORD"] == "s@cret"
    assert parsed["NAME"] == "ats"
    monkeypatch.setenv("DATABASE_URL", "postgres://postgres@/ats?host=/tmp/sock")
    assert env_database_url()["HOST"] == "/tmp/sock"


@pytest.mark.parametrize(
    "value", ["mysql://root@localhost/ats", "postgres://localhost", "postgres://u@h:notaport/db"]
)
def test_env_database_url_rejects_bad_values(monkeypatch, value):
    monkeypatch.setenv("DATABASE_URL", value)
    with pytest.raises(EnvError, match="DATABASE_URL"):
        env_database_url()


def test_env_redis_url_forms(monkeypatch):
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/0")
    assert env_redis_url() == "redis://127.0.0.1:6379/0"
    monkeypatch.setenv("REDIS_URL", "unix:///tmp/valkey.sock")
    assert env_redis_url() == "unix:///tmp/valkey.sock"
    monkeypatch.setenv("REDIS_URL", "http://nope")
    with pytest.raises(EnvError, match="REDIS_URL must be of the form"):
        env_redis_url()


def test_env_email_url_forms(monkeypatch):
    monkeypatch.setenv("EMAIL_URL", "smtp://mailer:pw@smtp.example.com:2525?tls=1")
    parsed = env_email_url()
    assert parsed["EMAIL_HOST"] == "smtp.example.com"
    assert parsed["EMAIL_PORT"] == 2525
    assert parsed["EMAIL_USE_TLS"] is True
    assert parsed["EMAIL_HOST_USER"] == "mailer"
    monkeypatch.setenv("EMAIL_URL", "smtps://smtp.example.com")
    assert env_email_url()["EMAIL_PORT"] == 465
    monkeypatch.setenv("EMAIL_URL", "outbox://")
    assert env_email_url()["EMAIL_BACKEND"] == "config.core.mail.OutboxEmailBackend"
    monkeypatch.setenv("EMAIL_URL", "sendgrid://key")
    with pytest.raises(EnvError, match="EMAIL_URL='sendgrid://key' is not supported"):
        env_email_url()


def _manage(*args, **env):
    full_env = {**os.environ, **env}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_manage_py_bad_variable_is_one_clear_line():
    result = _manage("check", DATABASE_URL="mysql://root@localhost/ats")
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("configuration error: DATABASE_URL must be a PostgreSQL URL")
    assert "Traceback" not in result.stderr


def test_production_settings_refuse_missing_secret():
    result = _manage(
        "check",
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY="",
        ALLOWED_HOSTS="example.com",
    )
    assert result.returncode == 2
    assert result.stderr.strip() == "configuration error: SECRET_KEY is not set"


def test_production_settings_refuse_weak_secret():
    result = _manage(
        "check",
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY="short",
        ALLOWED_HOSTS="example.com",
    )
    assert result.returncode == 2
    assert "SECRET_KEY is too short" in result.stderr
