#!/usr/bin/env python
"""Django's command-line utility. With no DATABASE_URL it uses (and starts) the embedded servers."""

import os
import sys

from django.core.management import execute_from_command_line

from config.embedded import EmbeddedError, ensure_for_command
from config.env import EnvError


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.development")
    try:
        ensure_for_command(os.environ["DJANGO_SETTINGS_MODULE"])
        execute_from_command_line(sys.argv)
    except (EnvError, EmbeddedError) as exc:
        print(f"configuration error: {exc}", file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    main()
