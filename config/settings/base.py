"""Settings shared by every environment. Values come from the environment (see README)."""

from pathlib import Path
from urllib.parse import urlsplit

from config.env import env_bool, env_email_url, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(env_str("TALENTLOOP_VAR_DIR", str(BASE_DIR / "var"))).resolve()

INSTALLED_APPS = [
    "config.core",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "django_htmx",
    "template_partials",
    "parsing",
    "crm",
    "ats",
    "nurture",
    "analytics",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "config.core.middleware.ContentSecurityPolicyMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "config.core.context_processors.navigation",
            ],
        },
    },
]

AUTH_USER_MODEL = "core.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24  # one day
LOGIN_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5, minimum=1)
LOGIN_FAILURE_WINDOW = env_int("LOGIN_FAILURE_WINDOW", 15 * 60, minimum=60)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded files (resumes) live outside the web root and are served only through permission checks.
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "/media/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024

# --- email -------------------------------------------------------------------------------
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Talentloop <no-reply@talentloop.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
OUTBOX_DIR = VAR_DIR / "outbox"
COMPANY_NAME = env_str("COMPANY_NAME", "Talentloop Demo Company")
COMPANY_URL = env_str("COMPANY_URL", "https://talentloop.localhost")
# The career page's apply form records which privacy notice the candidate agreed to.
PRIVACY_NOTICE_VERSION = env_str("PRIVACY_NOTICE_VERSION", "2026-01")
PRIVACY_NOTICE_URL = env_str("PRIVACY_NOTICE_URL", "/careers/privacy/")
# Career-page applications per client address per hour (honeypot catches the simplest bots).
CAREER_APPLY_LIMIT = env_int("CAREER_APPLY_LIMIT", 10, minimum=1)

# --- nurture -------------------------------------------------------------------------------
# Absolute links in emails (tracking, unsubscribe) are built on this; workers have no request.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# Replies come back to reply+<token>@REPLY_DOMAIN; unsubscribe mails to unsubscribe+<token>@...
REPLY_DOMAIN = env_str("REPLY_DOMAIN", "reply.talentloop.localhost")
# At most one nurture email per person per this many hours, across sequences (postponed).
NURTURE_FREQUENCY_CAP_HOURS = env_int("NURTURE_FREQUENCY_CAP_HOURS", 72, minimum=0)
NURTURE_QUIET_HOURS = (9, 17)  # send between these hours, Monday to Friday, person's time zone
NURTURE_DEFAULT_TIMEZONE = env_str("NURTURE_DEFAULT_TIMEZONE", "UTC")
NURTURE_BATCH_SIZE = env_int("NURTURE_BATCH_SIZE", 200, minimum=1, maximum=5000)
# A message left SENDING this long (its worker died mid-send) is failed and its owner alerted.
NURTURE_SENDING_TIMEOUT_SECONDS = env_int("NURTURE_SENDING_TIMEOUT_SECONDS", 900, minimum=60)
# Shared secret of the inbound-mail webhook (empty: the webhook answers 404).
INBOUND_WEBHOOK_TOKEN = env_str("INBOUND_WEBHOOK_TOKEN", "")
SMS_BACKEND = env_str("SMS_BACKEND", "nurture.sms.OutboxSmsBackend")

# --- API -------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Talentloop API",
    "DESCRIPTION": "Applicant tracking and recruiting CRM.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
}

# --- Celery (beat only ticks; schedules live in the database) -----------------------------
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 300, minimum=1)
CELERY_TASK_SOFT_TIME_LIMIT = max(1, CELERY_TASK_TIME_LIMIT - 30)
# Resume parsing: the bounds every file is parsed within (keys of parsing.Limits; an unknown
# key stops start-up). The parse task's own time limits sit a little above timeout_seconds
# (crm/tasks.py), so the sandbox's timeout always fires first and the task records it.
RESUME_PARSE_LIMITS = {
    "timeout_seconds": env_int("RESUME_PARSE_TIMEOUT", 30, minimum=1, maximum=600),
    "memory_bytes": env_int("RESUME_PARSE_MEMORY_MB", 1024, minimum=128) * 1024 * 1024,
}
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE = {
    "heartbeat": {"task": "core.heartbeat", "schedule": 60.0},
    "nurture-dispatch": {"task": "nurture.dispatch_tick", "schedule": 30.0},
    "nurture-reap": {"task": "nurture.reap_stuck", "schedule": 300.0},
    "nurture-job-alerts": {"task": "nurture.job_alerts_tick", "schedule": 900.0},
    "interview-notices": {"task": "ats.interview_notices_tick", "schedule": 60.0},
    "fail-stalled-imports": {"task": "crm.fail_stalled_imports", "schedule": 600.0},
    "expire-offers": {"task": "ats.expire_offers", "schedule": 3600.0},
    "pools-refresh": {"task": "crm.pools_refresh_all", "schedule": 900.0},
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'; frame-src 'self'"
)


def redis_settings(redis_url: str, *, broker_db: int | None = None) -> dict:
    """Broker URL, cache and health-check URL from one REDIS_URL (redis://, rediss:// or unix://)."""
    parts = urlsplit(redis_url)
    if parts.scheme == "unix":
        # kombu spells a Unix socket redis+socket:// and selects the database with virtual_host
        db = broker_db if broker_db is not None else 0
        broker = f"redis+socket://{parts.path}?virtual_host={db}"
    elif broker_db is not None:
        broker = parts._replace(path=f"/{broker_db}").geturl()
    else:
        broker = redis_url
    caches = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_url,
            "KEY_PREFIX": "talentloop",
        }
    }
    return {"REDIS_URL": redis_url, "CELERY_BROKER_URL": broker, "CACHES": caches}


def email_settings(default: str) -> dict:
    return env_email_url("EMAIL_URL", default)


def env_flag_debug(default: bool) -> bool:
    return env_bool("DEBUG", default)


def env_hosts(default: list[str]) -> list[str]:
    return env_list("ALLOWED_HOSTS", default)
