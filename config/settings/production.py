"""Production: every connection comes from the environment; nothing embedded, no demo data."""

from config.env import (
    EnvError,
    env_bool,
    env_database_url,
    env_email_url,
    env_int,
    env_list,
    env_redis_url,
    env_str,
)

from .base import *  # noqa: F403
from .base import env_flag_debug, redis_settings

DEBUG = env_flag_debug(False)
SECRET_KEY = env_str("SECRET_KEY")
if len(SECRET_KEY) < 50:
    raise EnvError("SECRET_KEY is too short; expected at least 50 random characters")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = [
    origin for origin in (env_str("CSRF_TRUSTED_ORIGINS", "") or "").split(",") if origin.strip()
]

_db = env_database_url()
if _db is None:
    raise EnvError("DATABASE_URL is not set; expected postgres://USER:PASSWORD@HOST:PORT/NAME")
DATABASES = {
    "default": {
        **_db,
        "CONN_MAX_AGE": env_int("DB_CONN_MAX_AGE", 60),
        "CONN_HEALTH_CHECKS": True,
    }
}

_redis_url = env_redis_url()
if _redis_url is None:
    raise EnvError("REDIS_URL is not set; expected redis://HOST:PORT/DB")
globals().update(redis_settings(_redis_url))
globals().update(env_email_url("EMAIL_URL"))

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SHOW_DEMO_LOGINS = False
DEMO_DATA_ALLOWED = False
