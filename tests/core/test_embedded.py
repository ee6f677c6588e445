"""The embedded servers behind `make run`/`make test`, run for real in a throwaway ./var."""

import os
import socket
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
import redis

from config import embedded
from config.launcher import LaunchError, acquire_launcher_lock

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def var_dir(tmp_path_factory):
    # Short path: Unix socket paths are limited to ~108 bytes.
    path = Path(tmp_path_factory.mktemp("var"))
    yield path
    embedded.stop(p=embedded.paths(path))


def test_embedded_socket_dir_falls_back_when_path_is_too_long(tmp_path):
    deep = tmp_path / ("d" * 120)
    p = embedded.paths(deep)
    assert len(str(p.pg_socket)) <= 108
    assert str(p.socket_dir).startswith("/tmp") or str(p.socket_dir).startswith(
        os.environ.get("TMPDIR", "/tmp")
    )
    assert embedded.paths(tmp_path).socket_dir == tmp_path.resolve() / "run"


def test_embedded_valkey_starts_answers_and_stops(var_dir):
    p = embedded.paths(var_dir)
    assert embedded.ensure_valkey(p) is True
    assert embedded.ensure_valkey(p) is False  # already running: nothing started twice
    client = redis.Redis.from_url(embedded.redis_url(p))
    assert client.ping()
    client.set("k", "v")
    client.close()
    assert embedded.stop_valkey(p) is True
    assert not embedded.valkey_running(p)


def test_embedded_valkey_replaces_a_stale_pidfile(var_dir, capsys):
    p = embedded.paths(var_dir)
    p.run.mkdir(parents=True)
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    p.valkey_pidfile.write_text(str(dead.pid))
    assert embedded.ensure_valkey(p) is True
    assert "removing stale lock" in capsys.readouterr().err


def test_embedded_postgres_initialises_serves_and_keeps_data(var_dir):
    p = embedded.paths(var_dir)
    assert embedded.ensure_postgres(p) is True
    settings = embedded.database_settings(p)
    with psycopg.connect(host=settings["HOST"], user="postgres", dbname=embedded.DB_NAME) as conn:
        conn.execute("CREATE TABLE kept (id int)")
        conn.execute("INSERT INTO kept VALUES (42)")
        extensions = {row[0] for row in conn.execute("SELECT name FROM pg_available_extensions")}
    assert {"pg_trgm", "unaccent"} <= extensions
    # It listens on a Unix socket only, so it never clashes with a server on 5432.
    assert p.pg_socket.exists()
    assert embedded.stop_postgres(p) is True
    assert not embedded.postgres_running(p)

    # Data persists across a restart.
    assert embedded.ensure_postgres(p) is True
    with psycopg.connect(host=settings["HOST"], user="postgres", dbname=embedded.DB_NAME) as conn:
        assert conn.execute("SELECT id FROM kept").fetchone() == (42,)


def test_embedded_postgres_clears_stale_postmaster_pid(var_dir, capsys):
    p = embedded.paths(var_dir)
    embedded.ensure_postgres(p)
    embedded.stop_postgres(p)
    (p.pgdata / "postmaster.pid").write_text("999999\n")
    assert embedded.ensure_postgres(p) is True
    assert "removing stale lock" in capsys.readouterr().err


def _launcher(env: dict, timeout=60):
    return subprocess.run(
        [sys.executable, "-m", "config.launcher"],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def test_launcher_taken_port_is_one_clear_line(tmp_path):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = _launcher({"PORT": str(port), "TALENTLOOP_VAR_DIR": str(tmp_path)})
    assert result.returncode == 1
    assert result.stderr.strip() == (
        f"run: error: port {port} on 127.0.0.1 is taken; "
        "stop what uses it or choose another with PORT=..."
    )
    assert not (tmp_path / "pgdata").exists()  # nothing was started


def test_launcher_bad_port_variable_is_one_clear_line(tmp_path):
    result = _launcher({"PORT": "eighty", "TALENTLOOP_VAR_DIR": str(tmp_path)})
    assert result.returncode == 1
    assert result.stderr.strip() == "run: error: PORT='eighty' is not an integer"


def test_launcher_refuses_a_second_launcher_and_replaces_a_stale_lock(tmp_path):
    pidfile = tmp_path / "run" / "launcher.pid"
    pidfile.parent.mkdir()
    holder = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        pidfile.write_text(str(holder.pid))
        with pytest.raises(LaunchError, match=f"already running \\(pid {holder.pid}\\)"):
            acquire_launcher_lock(pidfile)
    finally:
        holder.kill()
        holder.wait()
    acquire_launcher_lock(pidfile)  # the holder is gone: its lock is stale
    assert pidfile.read_text() == str(os.getpid())


def test_session_passes_a_clean_environment_to_its_command():
    """`make test` runs pytest through the session: it must not leak DJANGO_SETTINGS_MODULE."""
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env.update(DATABASE_URL="postgres://x@127.0.0.1:1/x", REDIS_URL="redis://127.0.0.1:1/0")
    result = subprocess.run(
        [
            sys.executable, "-m", "config.embedded", "session", "--",
            sys.executable, "-c", "import os; print(os.environ.get('DJANGO_SETTINGS_MODULE'))",
        ],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=60, check=True,
    )  # fmt: skip
    assert result.stdout.strip() == "None"


def test_importing_the_settings_starts_no_server(tmp_path):
    """Settings are declarative: with no DATABASE_URL/REDIS_URL they name the embedded sockets
    and start nothing (the launcher, manage.py and pytest start the servers)."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE")
    }
    env["TALENTLOOP_VAR_DIR"] = str(tmp_path / "var")
    code = (
        "import config.settings.test as s; "
        "print(s.DATABASES['default']['HOST']); print(s.REDIS_URL)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    host, redis_url = done.stdout.split()
    p = embedded.paths(tmp_path / "var")
    assert host == str(p.socket_dir)
    assert redis_url == embedded.redis_url(p)
    assert not p.pgdata.exists()
    assert not embedded.postgres_running(p)
    assert not embedded.valkey_running(p)


def test_ensure_for_command_starts_nothing_for_production_settings(monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("REDIS_URL", raising=False)
    assert embedded.ensure_for_command("config.settings.production") == []
