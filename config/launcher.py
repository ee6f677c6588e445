"""`make run`: embedded servers (when needed), migrate, demo data, then web + worker + beat.

Prints the URL and the demo logins once the web server answers /healthz. Ctrl-C or SIGTERM stops
every child, then the embedded servers this launcher started. Problems a person can fix (a taken
port, another launcher already running, a bad environment variable) are one line, not a traceback.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

from config import embedded
from config.env import EnvError, env_int

PROJECT_DIR = embedded.PROJECT_DIR
BIN = Path(sys.executable).parent
HOST = "127.0.0.1"
STOP_TIMEOUT = 20


class LaunchError(Exception):
    """One line for the person at the terminal."""


def _say(message: str) -> None:
    print(f"run: {message}", flush=True)


def check_port_free(port: int, host: str = HOST) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            raise LaunchError(
                f"port {port} on {host} is taken; stop what uses it or choose another with PORT=..."
            ) from None


def acquire_launcher_lock(pidfile: Path) -> None:
    """One launcher per ./var. A pidfile whose process is gone is stale and replaced."""
    pidfile.parent.mkdir(parents=True, exist_ok=True)
    if pidfile.exists():
        try:
            pid = int(pidfile.read_text().strip())
        except ValueError:
            pid = 0
        if pid and pid != os.getpid() and embedded._pid_alive(pid):
            raise LaunchError(f"make run is already running (pid {pid}); stop it first")
        _say(f"removing stale lock {pidfile} (pid {pid} is gone)")
    pidfile.write_text(str(os.getpid()))


def _pump(name: str, stream) -> None:
    for line in iter(stream.readline, ""):
        sys.stdout.write(f"{name:<6} | {line}")
        sys.stdout.flush()
    stream.close()


class Child:
    def __init__(self, name: str, argv: list[str], env: dict):
        self.name = name
        self.process = subprocess.Popen(
            argv,
            cwd=PROJECT_DIR,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            text=True,
            start_new_session=True,  # the terminal's Ctrl-C reaches only us; we stop children in order
        )
        threading.Thread(target=_pump, args=(name, self.process.stdout), daemon=True).start()

    def stop(self) -> None:
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGTERM)
            except ProcessLookupError:
                return

    def wait(self, deadline: float) -> None:
        try:
            self.process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            _say(f"{self.name} did not stop in time; killing it")
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


def _manage(env: dict, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        lines = (result.stderr or result.stdout).strip().splitlines()
        raise LaunchError(f"manage.py {args[0]} failed: {lines[-1] if lines else 'no output'}")
    return result.stdout


class _StopFlag:
    flag = False


def _wait_healthy(url: str, children: list[Child], stop: _StopFlag, timeout: float = 90) -> bool:
    """True once /healthz answers 200; False when a stop was asked for first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if stop.flag:
            return False
        for child in children:
            if child.process.poll() is not None:
                raise LaunchError(f"{child.name} exited with status {child.process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - our own loopback URL
                if response.status == 200:
                    return True
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.3)
    raise LaunchError(f"the web server did not answer {url} within {timeout:.0f}s")


def run() -> int:
    # A plain flag, not a threading.Event: Event.set() takes a lock that the main thread may be
    # holding inside Event.wait() when the signal arrives, and the handler would deadlock on it.
    stop_requested = _StopFlag()

    def request_stop(signum, frame):
        stop_requested.flag = True

    signal.signal(signal.SIGINT, request_stop)
    signal.signal(signal.SIGTERM, request_stop)

    port = env_int("PORT", 8000, minimum=1, maximum=65535)
    workers = env_int("WEB_CONCURRENCY", 2, minimum=1, maximum=64)
    check_port_free(port)
    paths = embedded.paths()
    pidfile = paths.run / "launcher.pid"
    acquire_launcher_lock(pidfile)

    started: list[str] = []
    children: list[Child] = []
    try:
        want_pg, want_valkey = embedded.wanted()
        if want_pg or want_valkey:
            _say("starting embedded servers (data in ./var)")
        started = embedded.start_wanted(paths)
        env = dict(os.environ)
        env.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.development")
        env["PYTHONUNBUFFERED"] = "1"
        if want_pg:
            env["DATABASE_URL"] = embedded.database_url(paths)
        if want_valkey:
            env["REDIS_URL"] = embedded.redis_url(paths)

        _say("applying migrations")
        _manage(env, "migrate", "--noinput")
        _say("loading demo data")
        demo_output = _manage(env, "load_demo_data")
        if stop_requested.flag:
            return 130

        children = [
            Child(
                "web",
                [str(BIN / "gunicorn"), "config.wsgi", "--bind", f"{HOST}:{port}",
                 "--workers", str(workers), "--access-logfile", "-", "--graceful-timeout", "10"],
                env,
            ),
            Child(
                "worker",
                [str(BIN / "celery"), "-A", "config", "worker", "--loglevel", "INFO",
                 "--concurrency", "2", "--hostname", "worker@%h"],
                env,
            ),
            Child(
                "beat",
                [str(BIN / "celery"), "-A", "config", "beat", "--loglevel", "INFO",
                 "--schedule", str(paths.var / "celerybeat-schedule")],
                env,
            ),
        ]  # fmt: skip
        url = f"http://{HOST}:{port}/"
        if not _wait_healthy(url + "healthz", children, stop_requested):
            return 130
        print("", flush=True)
        _say(f"Talentloop is up at {url}  (Ctrl-C to stop)")
        for line in demo_output.splitlines():
            if line.startswith("login: "):
                print(line, flush=True)
        print("", flush=True)

        while not stop_requested.flag:
            for child in children:
                if child.process.poll() is not None:
                    raise LaunchError(
                        f"{child.name} exited unexpectedly with status {child.process.returncode}"
                    )
            time.sleep(0.5)  # a signal interrupts the sleep; its handler only sets the flag
        return 0
    finally:
        if children:
            _say("stopping web, worker and beat")
        for child in children:
            child.stop()
        deadline = time.monotonic() + STOP_TIMEOUT
        for child in children:
            child.wait(deadline)
        if started:
            _say(f"stopping embedded {' and '.join(started)}")
            embedded.stop(started, paths)
        pidfile.unlink(missing_ok=True)
        _say("stopped")


def main() -> int:
    try:
        return run()
    except (LaunchError, EnvError, embedded.EmbeddedError) as exc:
        print(f"run: error: {exc}", file=sys.stderr, flush=True)
        return 1


if __name__ == "__main__":
    sys.exit(main())
