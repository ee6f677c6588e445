import os
import sys

from django.core.wsgi import get_wsgi_application

from config.embedded import EmbeddedError
from config.env import EnvError

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.development")

try:
    application = get_wsgi_application()
except (EnvError, EmbeddedError) as exc:
    print(f"configuration error: {exc}", file=sys.stderr)
    raise SystemExit(2) from None
