# Production image: gunicorn (web), celery worker and beat all run from it (see docker-compose.yml).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=config.settings.production \
    TALENTLOOP_VAR_DIR=/app/var

WORKDIR /app
RUN useradd --create-home --uid 10001 talentloop
COPY pyproject.toml README.md ./
COPY requirements/base.txt ./requirements/base.txt
# The locked production dependencies only (hashes checked); no dev tools, no embedded servers.
RUN pip install --no-cache-dir --require-hashes -r requirements/base.txt
COPY config ./config
COPY ats ./ats
COPY crm ./crm
COPY nurture ./nurture
COPY parsing ./parsing
COPY analytics ./analytics
RUN pip install --no-cache-dir --no-deps .
COPY manage.py ./
COPY templates ./templates
COPY static ./static
# collectstatic needs settings but no database; throwaway values are enough at build time.
RUN SECRET_KEY=build-only-$(head -c 48 /dev/urandom | base64 | tr -dc a-zA-Z0-9) \
    ALLOWED_HOSTS=build DATABASE_URL=postgres://build@localhost/build \
    REDIS_URL=redis://localhost:6379/0 EMAIL_URL=smtp://localhost:25 \
    python manage.py collectstatic --noinput \
    && mkdir -p /app/var/media && chown -R talentloop /app/var
USER talentloop
EXPOSE 8000
CMD ["gunicorn", "config.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
