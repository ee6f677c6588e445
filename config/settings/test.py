"""pytest: the development wiring (embedded servers or DATABASE_URL/REDIS_URL), made fast and isolated."""

import os

from config.env import env_int, env_str

from .development import *  # noqa: F403
from .development import DATABASES, REDIS_URL, redis_settings

# One test database per pytest process, so several runs on one server never clobber each other.
DATABASES["default"]["TEST"] = {
    "NAME": f"test_{DATABASES['default']['NAME']}_{env_str('TEST_DB_SUFFIX', str(os.getpid()))}"
}

DEBUG = False
SHOW_DEMO_LOGINS = False
# Tests use their own broker database so a running `make run` worker never steals their tasks;
# TEST_BROKER_DB gives concurrent suites on one Redis a database each.
CELERY_BROKER_URL = redis_settings(REDIS_URL, broker_db=env_int("TEST_BROKER_DB", 15, maximum=15))[
    "CELERY_BROKER_URL"
]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True
