"""Text messages: a backend interface, and the outbox backend the embedded default uses (no
provider credentials here; every text lands in ./var/outbox/sms.jsonl). A provider backend is a
class with the same ``send`` and a settings change (SMS_BACKEND)."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.utils.module_loading import import_string


class SmsError(Exception):
    """A permanent refusal by the provider (a bad number)."""


class SmsBackend:
    def send(self, *, to: str, body: str) -> str:
        """Send one text; returns the provider's id. Raises ConnectionError when the provider
        could not be reached (retried) or SmsError when it refused the message."""
        raise NotImplementedError


class OutboxSmsBackend(SmsBackend):
    def send(self, *, to: str, body: str) -> str:
        if not to.startswith("+"):
            raise SmsError(f"not an E.164 number: {to!r}")
        directory = Path(settings.OUTBOX_DIR)
        directory.mkdir(parents=True, exist_ok=True)
        sms_id = uuid.uuid4().hex
        line = {"id": sms_id, "to": to, "body": body, "at": datetime.now(UTC).isoformat()}
        with (directory / "sms.jsonl").open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(line) + "\n")
        return sms_id


def sms_backend() -> SmsBackend:
    return import_string(settings.SMS_BACKEND)()
