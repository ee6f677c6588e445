"""parsing.sandbox: work on a file runs in a forked child that is stopped at the time and memory
limits, and whatever the child does (hang, allocate, abort, crash) comes back as one clear
ResumeError, with no zombie left and the parent's own limits untouched."""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import io
import logging
import os
import resource
import signal
import time

import pytest
from reportlab.pdfgen import canvas

from parsing.limits import MB, Limits
from parsing.result import FileRejected, ParsedResume, ParseFailed, UnsupportedFormat
from parsing.sandbox import parse_resume_isolated, run_isolated

FAST = Limits(timeout_seconds=2, memory_bytes=768 * MB)


@pytest.fixture(autouse=True)
def no_zombies_and_limits_unchanged():
    before = (resource.getrlimit(resource.RLIMIT_AS), resource.getrlimit(resource.RLIMIT_CPU))
    yield
    with contextlib.suppress(ChildProcessError):  # raised when there are no children at all
        assert os.waitpid(-1, os.WNOHANG) == (0, 0)  # children exist, none left unreaped
    after = (resource.getrlimit(resource.RLIMIT_AS), resource.getrlimit(resource.RLIMIT_CPU))
    assert after == before


# --------------------------------------------------------------------------- child functions


def add(a, b):
    return {"sum": a + b, "pid": os.getpid()}


def big_result():
    return {"rows": ["x" * 1000] * 5000, "tail": "end"}  # about 5 MB of JSON


def sleep_forever():
    while True:
        time.sleep(60)


def spin_forever():
    while True:
        pass


def allocate_forever():
    hoard = []
    while True:
        hoard.append(bytearray(16 * MB))


def abort():
    os.abort()


def segfault():
    ctypes.string_at(0)


def exit_silently():
    os._exit(3)


def refuse():
    raise FileRejected("the file is a trap", code="trap")


def unsupported():
    raise UnsupportedFormat("an image (PNG); OCR is not supported", code="image")


def fail_unexpectedly():
    raise KeyError("/Root")


def not_json():
    return {"when": object()}


def child_limits():
    return {
        "as": resource.getrlimit(resource.RLIMIT_AS),
        "cpu": resource.getrlimit(resource.RLIMIT_CPU),
        "sigterm_default": signal.getsignal(signal.SIGTERM) == signal.SIG_DFL,
    }


def register_atexit(path):
    atexit.register(lambda: open(path, "w").close())
    return "registered"


# --------------------------------------------------------------------------- run_isolated


def test_run_isolated_returns_the_value_from_a_child():
    value = run_isolated(add, 2, 3, limits=FAST)
    assert value["sum"] == 5
    assert value["pid"] != os.getpid()


def test_run_isolated_big_result_does_not_deadlock():
    started = time.monotonic()
    value = run_isolated(big_result, limits=FAST)
    assert len(value["rows"]) == 5000 and value["tail"] == "end"
    assert time.monotonic() - started < 2


def test_run_isolated_timeout_kills_a_sleeping_child():
    started = time.monotonic()
    with pytest.raises(FileRejected) as caught:
        run_isolated(sleep_forever, limits=Limits(timeout_seconds=0.5))
    elapsed = time.monotonic() - started
    assert 0.5 <= elapsed < 2
    assert caught.value.code == "timeout"
    assert caught.value.message == "reading the file took longer than 0.5 s; stopped"


def test_run_isolated_timeout_kills_a_spinning_child():
    with pytest.raises(FileRejected) as caught:
        run_isolated(spin_forever, limits=Limits(timeout_seconds=0.5))
    assert caught.value.code == "timeout"


def test_run_isolated_memory_limit():
    with pytest.raises(FileRejected) as caught:
        run_isolated(allocate_forever, limits=FAST)
    assert caught.value.code == "memory"
    assert caught.value.message == "reading the file needed more than 768 MB; stopped"


def test_run_isolated_child_gets_the_limits():
    value = run_isolated(child_limits, limits=FAST)
    assert value["as"][0] == 768 * MB
    assert value["cpu"][0] == 3  # ceil(2 s) + 1
    assert value["sigterm_default"]


def test_run_isolated_abort():
    with pytest.raises(FileRejected) as caught:
        run_isolated(abort, limits=FAST)
    assert caught.value.code == "crashed"
    assert "SIGABRT" in caught.value.message


def test_run_isolated_segfault():
    with pytest.raises(FileRejected) as caught:
        run_isolated(segfault, limits=FAST)
    assert caught.value.code == "crashed"
    assert "SIGSEGV" in caught.value.message


def test_run_isolated_exit_without_a_result():
    with pytest.raises(ParseFailed) as caught:
        run_isolated(exit_silently, limits=FAST)
    assert caught.value.code == "crashed"
    assert caught.value.message == "the reader stopped without a result (exit status 3)"


def test_run_isolated_keeps_the_error_class_code_and_message():
    with pytest.raises(FileRejected) as caught:
        run_isolated(refuse, limits=FAST)
    assert (caught.value.code, caught.value.message) == ("trap", "the file is a trap")
    with pytest.raises(UnsupportedFormat) as caught:
        run_isolated(unsupported, limits=FAST)
    assert caught.value.code == "image"


def test_run_isolated_unexpected_exception_is_a_short_parse_failure():
    with pytest.raises(ParseFailed) as caught:
        run_isolated(fail_unexpectedly, limits=FAST)
    assert caught.value.code == "unexpected"
    assert caught.value.message == "the reader failed: KeyError: '/Root'"
    assert "Traceback" not in caught.value.message


def test_run_isolated_value_that_is_not_json():
    with pytest.raises(ParseFailed) as caught:
        run_isolated(not_json, limits=FAST)
    assert caught.value.code == "unexpected"
    assert "TypeError" in caught.value.message


def test_run_isolated_child_skips_atexit_handlers(tmp_path):
    marker = tmp_path / "atexit-ran"
    assert run_isolated(register_atexit, str(marker), limits=FAST) == "registered"
    assert not marker.exists()


def test_run_isolated_without_fork_runs_in_process(monkeypatch, caplog):
    # Set the level on the logger itself: a Celery worker started by an earlier test may have
    # raised the root logger's level.
    caplog.set_level(logging.WARNING, logger="parsing.sandbox")
    monkeypatch.delattr(os, "fork")
    value = run_isolated(add, 1, 1, limits=FAST)
    assert value == {"sum": 2, "pid": os.getpid()}
    assert "os.fork is not available" in caplog.text
    with pytest.raises(FileRejected) as caught:
        run_isolated(refuse, limits=FAST)
    assert caught.value.code == "trap"


# --------------------------------------------------------------------------- parse_resume_isolated


def resume_pdf() -> bytes:
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    lines = [
        "Jane Doe",
        "Senior Software Engineer",
        "jane.doe@example.com | +1 415 555 0100 | San Francisco, CA",
        "",
        "EXPERIENCE",
        "Senior Software Engineer, Acme Corp    Jan 2020 - Present",
        "Built Python and PostgreSQL services.",
        "",
        "SKILLS",
        "Python, Django, PostgreSQL, Docker",
    ]
    for number, line in enumerate(lines):
        pdf.drawString(72, 760 - 16 * number, line)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def test_parse_resume_isolated_parses_a_pdf():
    parsed = parse_resume_isolated(resume_pdf(), "jane.pdf", limits=Limits(timeout_seconds=60))
    assert isinstance(parsed, ParsedResume)
    assert parsed.kind == "pdf" and parsed.source == "jane.pdf"
    assert parsed.pages == 1
    assert parsed.email == "jane.doe@example.com"
    assert "Jane Doe" in parsed.text


def test_parse_resume_isolated_refuses_an_executable_named_pdf():
    exe = bytearray(b"MZ" + b"\x90\x00" + b"\x00" * 60)
    exe[0x3C] = 0x40
    exe += b"PE\x00\x00" + b"\x00" * 100
    with pytest.raises(FileRejected) as caught:
        parse_resume_isolated(bytes(exe), "resume.pdf", limits=Limits(timeout_seconds=60))
    assert caught.value.code == "wrong_type"
    assert "Windows executable" in caught.value.message


def test_parse_resume_isolated_refuses_oversized_and_empty_files_before_forking():
    with pytest.raises(FileRejected) as caught:
        parse_resume_isolated(b"x" * 2000, "resume.txt", limits=Limits(max_bytes=1000))
    assert caught.value.code == "too_large"
    with pytest.raises(FileRejected) as caught:
        parse_resume_isolated(b"", "resume.pdf")
    assert caught.value.code == "empty"
