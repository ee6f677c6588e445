"""docker-compose.yml has the production shape. Docker does not run on CI: parse it, and also ask
`docker compose config` when the client has the compose plugin."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_compose_has_the_production_services():
    assert {"postgres", "redis", "web", "worker", "beat", "mailcatcher"} <= set(COMPOSE["services"])


def test_compose_app_services_share_the_same_variables():
    names = {"DATABASE_URL", "REDIS_URL", "SECRET_KEY", "EMAIL_URL", "ALLOWED_HOSTS"}
    for service in ("web", "worker", "beat", "migrate"):
        env = COMPOSE["services"][service]["environment"]
        assert names <= set(env), service
        assert env["DJANGO_SETTINGS_MODULE"] == "config.settings.production"
    assert COMPOSE["services"]["web"]["command"][0] == "gunicorn"
    assert COMPOSE["services"]["worker"]["command"][:4] == ["celery", "-A", "config", "worker"]
    assert COMPOSE["services"]["beat"]["command"][:4] == ["celery", "-A", "config", "beat"]


def test_compose_points_email_at_the_mail_catcher():
    env = COMPOSE["services"]["web"]["environment"]
    assert "mailcatcher" in env["EMAIL_URL"]


def test_docker_compose_config_when_available():
    docker = shutil.which("docker")
    if not docker:
        pytest.skip("no docker client here; the YAML checks above still ran")
    probe = subprocess.run([docker, "compose", "version"], capture_output=True, check=False)
    if probe.returncode != 0:
        pytest.skip("the docker client has no compose plugin; the YAML checks above still ran")
    result = subprocess.run(
        [docker, "compose", "-f", str(ROOT / "docker-compose.yml"), "config", "--quiet"],
        capture_output=True,
        text=True,
        env={**os.environ, "SECRET_KEY": "x" * 60},
        check=False,
    )
    assert result.returncode == 0, result.stderr
