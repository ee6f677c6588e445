"""Local development and `make run`: embedded PostgreSQL/Valkey unless DATABASE_URL/REDIS_URL are set."""

from config import embedded
from config.env import env_database_url, env_redis_url, env_str

from .base import *  # noqa: F403
from .base import VAR_DIR, email_settings, env_flag_debug, env_hosts, redis_settings

DEBUG = env_flag_debug(True)
SECRET_KEY = env_str("SECRET_KEY", "dev-only-insecure-key-never-use-in-production-7f3a9c1e5b")
ALLOWED_HOSTS = env_hosts(["127.0.0.1", "localhost", "[::1]"])

# Declarative only: with no DATABASE_URL/REDIS_URL these name the embedded servers' sockets in
# ./var. Importing settings never starts a server; the launcher (`make run`), `manage.py`
# (config.embedded.ensure_for_command) and `python -m config.embedded session` start them.
_embedded_paths = embedded.paths(VAR_DIR)
_db = env_database_url() or embedded.database_settings(_embedded_paths)
DATABASES = {"default": {**_db, "CONN_MAX_AGE": 60, "CONN_HEALTH_CHECKS": True}}
globals().update(redis_settings(env_redis_url() or embedded.redis_url(_embedded_paths)))

globals().update(email_settings("outbox://"))

# Static files straight from app and project folders, no collectstatic needed while developing.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
SHOW_DEMO_LOGINS = DEBUG
DEMO_DATA_ALLOWED = True
