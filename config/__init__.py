"""Project configuration: settings, URLs, the Celery app and the embedded dev servers.

The Celery app is imported by ``config.core``'s AppConfig.ready(), not here: importing it here
would set DJANGO_SETTINGS_MODULE as a side effect of ``python -m config.embedded``/launcher, and
their child processes (pytest among them) would inherit the wrong settings.
"""
