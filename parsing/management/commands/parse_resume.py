"""``python manage.py parse_resume FILE [FILE ...]``: one JSON Resume document per line.

Each file is parsed in its own bounded child process (the same limits as the product). A file
that cannot be parsed prints ``{"error": "...", "source": "FILE"}`` on its line and the
command goes on; the exit status is 1 if any file failed.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from parsing import Limits, ResumeError, parse_resume_isolated


class Command(BaseCommand):
    help = "Parse resume files (PDF, DOCX, text) and print one JSON Resume document per line."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE")
        parser.add_argument(
            "--with-confidence",
            action="store_true",
            help="add the parser's per-field confidence under meta.confidence",
        )

    def handle(self, *args, files: list[str], with_confidence: bool = False, **options):
        limits = Limits.from_mapping(getattr(settings, "RESUME_PARSE_LIMITS", None))
        failed = False
        for name in files:
            document = self._one(name, limits, with_confidence)
            failed = failed or "error" in document
            self.stdout.write(json.dumps(document, ensure_ascii=False))
            self.stdout.flush()
        if failed:
            sys.exit(1)

    def _one(self, name: str, limits: Limits, with_confidence: bool) -> dict:
        path = Path(name)
        try:
            size = path.stat().st_size
            if size > limits.max_bytes:
                return {
                    "error": f"the file is {size / 1048576:.1f} MB; the limit is "
                    f"{limits.max_bytes / 1048576:.0f} MB",
                    "source": name,
                }
            data = path.read_bytes()
        except OSError as exc:
            return {"error": f"cannot read the file ({exc.strerror or exc})", "source": name}
        try:
            parsed = parse_resume_isolated(data, path.name, limits=limits)
        except ResumeError as exc:
            return {"error": exc.message, "source": name}
        document = parsed.to_json_resume()
        if with_confidence:
            document.setdefault("meta", {})["confidence"] = parsed.confidence
        return document
