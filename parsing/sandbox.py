"""Parse a resume in a forked child process, so a hostile file costs one bounded task.

:func:`parse_resume_isolated` runs :func:`parsing.core.parse_resume` in a child made with
``os.fork()`` and gives the child

* a wall-clock timeout (``Limits.timeout_seconds``): the parent waits that long for the result
  and then kills the child with SIGKILL. The child also arms ``alarm()`` a little later and asks
  Linux to kill it if the parent dies, so an orphan cannot live on;
* an address-space ceiling (``RLIMIT_AS = Limits.memory_bytes``): an allocation past it raises
  MemoryError in the child, reported as ``FileRejected(code="memory")``;
* a CPU ceiling (``RLIMIT_CPU``, the timeout rounded up plus one second) as a second fence.

The result comes back as JSON through a pipe; errors come back as the same
:class:`~parsing.result.ResumeError` class, code and message. The child ends with ``os._exit``:
it never runs atexit handlers, flushes the parent's buffers or closes the parent's database
connections.

Why ``os.fork`` and not ``multiprocessing``: Celery's prefork pool children are daemonic and
multiprocessing refuses to start children from them; a fresh interpreter per file would cost
seconds of imports (spaCy). Before forking, ``parsing.core.warm_up()`` (when it exists) loads the
heavy modules once, so every child inherits them for free (copy-on-write).

Threads: forking a process that runs other threads is unsafe in general (a lock held by another
thread stays locked forever in the child). The callers are single-threaded: the Celery worker
runs the prefork pool (one task at a time per pool process, no extra threads), and the parsing
command line parses files one after another from its main thread. Do not call this from a
threaded web server or a Celery ``threads``/``gevent`` pool; enqueue a prefork task instead.
A warning is logged when other threads are running at fork time.

Without ``os.fork`` (Windows), the work runs in this process with a logged warning: the size,
type, page and zip-bomb checks of :mod:`parsing.safety` still hold, MemoryError is still
reported as ``code="memory"``, but the timeout and memory ceiling are not enforced.

Pure Python: no Django imports.
"""

from __future__ import annotations

import contextlib
import gc
import importlib
import json
import logging
import math
import os
import selectors
import signal
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

from .limits import MB, Limits
from .result import FileRejected, ParsedResume, ParseFailed, ResumeError, UnsupportedFormat
from .safety import check_size

__all__ = ["parse_resume_isolated", "run_isolated"]

logger = logging.getLogger(__name__)

# A result bigger than this is refused rather than read into the parent (a parsed resume is a
# few hundred KB at most: the text is cut at Limits.max_text_chars).
MAX_RESULT_BYTES = 64 * MB
# The child's own wall-clock alarm fires this long after the parent's deadline, as a backstop.
ALARM_GRACE_SECONDS = 5
_READ_CHUNK = 1024 * 1024
_ERRORS: dict[str, type[ResumeError]] = {
    cls.__name__: cls for cls in (ResumeError, UnsupportedFormat, FileRejected, ParseFailed)
}
# Signals the parent process may handle its own way (Celery does); the child takes the defaults.
_RESET_SIGNALS = ("SIGINT", "SIGTERM", "SIGHUP", "SIGQUIT", "SIGUSR1", "SIGUSR2", "SIGCHLD")
_PR_SET_PDEATHSIG = 1

_warmed_up = False


# --------------------------------------------------------------------------- public


def parse_resume_isolated(
    data: bytes, filename: str, *, limits: Limits | None = None
) -> ParsedResume:
    """:func:`parsing.core.parse_resume` in a forked child, within ``limits`` (defaults:
    ``Limits()``). Raises the :class:`ResumeError` the parse raised, or ``FileRejected`` with
    code ``timeout``, ``memory`` or ``crashed`` when the child had to be stopped."""
    limits = limits or Limits()
    check_size(data, limits)  # no fork for an empty or oversized file
    _warm_up()
    value = run_isolated(_parse_to_dict, data, filename, limits, limits=limits)
    if not isinstance(value, dict):
        raise ParseFailed("the reader returned no result", code="unexpected")
    return ParsedResume.from_dict(value)


def run_isolated(func: Callable[..., Any], *args: Any, limits: Limits) -> Any:
    """``func(*args)`` in a forked child within ``limits``; its return value must be JSON-able
    (it crosses the process boundary as JSON). Raises what ``func`` raised when that is a
    :class:`ResumeError`; ``ParseFailed(code="unexpected")`` for any other exception."""
    if not hasattr(os, "fork"):
        return _run_in_process(func, args, limits)
    if threading.active_count() > 1:
        logger.warning(
            "forking to parse a file while %d threads run; see parsing.sandbox on threads",
            threading.active_count(),
        )
    parent = os.getpid()
    read_end, write_end = os.pipe()
    # Frozen objects are left alone by the child's garbage collector, so the child does not
    # write to (and copy) the memory pages it shares with the parent. The parent unfreezes at
    # once, so nothing stays uncollectable in a long-lived worker.
    gc.freeze()
    try:
        pid = os.fork()
    except BaseException:
        gc.unfreeze()
        os.close(read_end)
        os.close(write_end)
        raise
    if pid == 0:  # the child: never returns
        status = 70
        try:
            os.close(read_end)
            _child(write_end, func, args, limits, parent)
            status = 0
        finally:
            os._exit(status)
    gc.unfreeze()
    os.close(write_end)
    return _parent(pid, read_end, limits)


# --------------------------------------------------------------------------- the child


def _parse_to_dict(data: bytes, filename: str, limits: Limits) -> dict[str, Any]:
    from .core import parse_resume  # noqa: PLC0415 - spaCy loads in _warm_up, not at import

    return parse_resume(data, filename, limits=limits).to_dict()


def _child(
    write_end: int, func: Callable[..., Any], args: tuple, limits: Limits, parent: int
) -> None:
    envelope = b""
    try:
        _fence(limits, parent)
        envelope = _envelope(func, args, limits)
    except MemoryError:
        envelope = _memory_envelope(limits)
    except BaseException:  # the fences themselves failed: report rather than die silently
        logger.exception("setting up the parsing child failed")
        envelope = _error_envelope(ParseFailed("the reader could not start", code="unexpected"))
    view = memoryview(envelope)
    while view:
        written = os.write(write_end, view)
        view = view[written:]


def _fence(limits: Limits, parent: int) -> None:
    """Default signal handlers, the memory and CPU ceilings, a wall-clock alarm, and death
    with the parent."""
    _warn_if_little_headroom(limits)
    for name in _RESET_SIGNALS:
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), signal.SIG_DFL)
    _lower_limit("RLIMIT_AS", limits.memory_bytes)
    cpu = math.ceil(limits.timeout_seconds) + 1
    _lower_limit("RLIMIT_CPU", cpu, hard=cpu + 1)  # SIGXCPU at soft, SIGKILL at hard
    if hasattr(signal, "alarm"):
        signal.alarm(math.ceil(limits.timeout_seconds) + ALARM_GRACE_SECONDS)
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            import ctypes  # noqa: PLC0415 - Linux only

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
        if os.getppid() != parent:  # the parent died before prctl took effect
            os._exit(1)


def _warn_if_little_headroom(limits: Limits) -> None:
    """RLIMIT_AS counts the address space the child inherits (the loaded spaCy pipeline...);
    say so when that already takes most of the ceiling, or every file would fail as "memory"."""
    try:
        with open("/proc/self/statm") as statm:
            size = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return
    if size > limits.memory_bytes / 2:
        logger.warning(
            "the parsing child starts with %d MB of address space; its ceiling is %d MB",
            size // MB,
            limits.memory_bytes // MB,
        )


def _lower_limit(name: str, soft: int, *, hard: int | None = None) -> None:
    """Lower a resource limit; never raise one (an unprivileged process could not anyway)."""
    import resource  # noqa: PLC0415 - Unix only

    which = getattr(resource, name, None)
    if which is None:
        return
    current_soft, current_hard = resource.getrlimit(which)
    hard = soft if hard is None else hard
    if current_hard != resource.RLIM_INFINITY:
        hard = min(hard, current_hard)
        soft = min(soft, current_hard)
    if current_soft != resource.RLIM_INFINITY:
        soft = min(soft, current_soft)
    resource.setrlimit(which, (soft, hard))


def _envelope(func: Callable[..., Any], args: tuple, limits: Limits) -> bytes:
    """JSON ``{"ok": value}`` or ``{"error": {...}}`` for ``func(*args)``."""
    try:
        return json.dumps({"ok": func(*args)}).encode()
    except MemoryError:
        return _memory_envelope(limits)
    except ResumeError as exc:
        return _error_envelope(exc)
    except BaseException as exc:  # any failure of the reader is a result, never a crash
        logger.exception("parsing a file failed unexpectedly")
        text = str(exc).splitlines()[0][:200] if str(exc) else ""
        message = f"the reader failed: {type(exc).__name__}" + (f": {text}" if text else "")
        return _error_envelope(ParseFailed(message, code="unexpected"))


def _memory_envelope(limits: Limits) -> bytes:
    return _error_envelope(_memory_error(limits))


def _memory_error(limits: Limits) -> FileRejected:
    return FileRejected(
        f"reading the file needed more than {limits.memory_bytes / MB:g} MB; stopped",
        code="memory",
    )


def _error_envelope(exc: ResumeError) -> bytes:
    name = next(cls.__name__ for cls in type(exc).__mro__ if cls.__name__ in _ERRORS)
    return json.dumps({"error": {"class": name, "code": exc.code, "message": exc.message}}).encode()


# --------------------------------------------------------------------------- the parent


def _parent(pid: int, read_end: int, limits: Limits) -> Any:
    """Read the child's envelope before the deadline (reading as it writes, so a big result
    cannot fill the pipe and stall both), reap the child, and give back its result."""
    deadline = time.monotonic() + limits.timeout_seconds
    received = bytearray()
    reaped = None
    try:
        with selectors.DefaultSelector() as selector:  # not select(): fds past 1024 are fine
            selector.register(read_end, selectors.EVENT_READ)
            while True:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    _kill(pid)
                    reaped = _reap(pid)
                    raise FileRejected(
                        f"reading the file took longer than {limits.timeout_seconds:g} s; stopped",
                        code="timeout",
                    )
                if not selector.select(remaining):
                    continue
                chunk = os.read(read_end, _READ_CHUNK)
                if not chunk:
                    break
                received += chunk
                if len(received) > MAX_RESULT_BYTES:
                    _kill(pid)
                    reaped = _reap(pid)
                    raise ParseFailed(
                        f"the reader's result is over {MAX_RESULT_BYTES // MB} MB; stopped",
                        code="unexpected",
                    )
        reaped = _reap(pid, deadline)
    finally:
        os.close(read_end)
        if reaped is None:  # interrupted (a Celery soft time limit...): leave no child behind
            _kill(pid)
            _reap(pid)
    return _outcome(bytes(received), reaped, limits)


def _kill(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)


def _reap(pid: int, deadline: float | None = None) -> int:
    """The child's wait status. With a deadline, kill the child if it has not exited by then
    (it closed the pipe, so it should be exiting)."""
    while deadline is not None:
        with contextlib.suppress(ChildProcessError):
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                return status
        if time.monotonic() >= deadline:
            _kill(pid)
            break
        time.sleep(0.005)
    try:
        return os.waitpid(pid, 0)[1]
    except ChildProcessError:  # someone else reaped it (a SIGCHLD handler); nothing to wait for
        return 0


def _outcome(received: bytes, status: int, limits: Limits) -> Any:
    envelope = None
    if received:
        with contextlib.suppress(ValueError):
            envelope = json.loads(received)
    if isinstance(envelope, dict) and "ok" in envelope:
        return envelope["ok"]
    if isinstance(envelope, dict) and isinstance(envelope.get("error"), dict):
        error = envelope["error"]
        cls = _ERRORS.get(error.get("class"), ParseFailed)
        raise cls(str(error.get("message") or "the file could not be read"), code=error.get("code"))
    raise _death(status, limits)


def _death(status: int, limits: Limits) -> ResumeError:
    """The error for a child that left no envelope."""
    if os.WIFSIGNALED(status):
        number = os.WTERMSIG(status)
        if number in (getattr(signal, "SIGXCPU", None), getattr(signal, "SIGALRM", None)):
            return FileRejected(
                f"reading the file took longer than {limits.timeout_seconds:g} s; stopped",
                code="timeout",
            )
        try:
            name = signal.Signals(number).name
        except ValueError:
            name = f"signal {number}"
        hint = " (out of memory or CPU time?)" if number == signal.SIGKILL else ""
        return FileRejected(
            f"reading the file crashed the reader ({name}){hint}; stopped", code="crashed"
        )
    code = os.WEXITSTATUS(status) if os.WIFEXITED(status) else status
    return ParseFailed(f"the reader stopped without a result (exit status {code})", code="crashed")


# --------------------------------------------------------------------------- helpers


def _warm_up() -> None:
    """Load the heavy modules (spaCy pipeline, taxonomy) once in this process, so that forked
    children inherit them instead of loading them per file."""
    global _warmed_up
    if _warmed_up:
        return
    try:
        core = importlib.import_module("parsing.core")
        warm_up = getattr(core, "warm_up", None)
        if warm_up is not None:
            warm_up()
    except Exception:  # the child will meet the same failure and report it per file
        logger.exception("warming up the resume parser failed")
        return
    _warmed_up = True


def _run_in_process(func: Callable[..., Any], args: tuple, limits: Limits) -> Any:
    """The fallback without os.fork: same results and errors, but no timeout or memory
    ceiling."""
    logger.warning(
        "os.fork is not available: parsing in-process without the time and memory limits"
    )
    envelope = _envelope(func, args, limits)
    return _outcome(envelope, 0, limits)
