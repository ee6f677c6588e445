from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "config.core"
    label = "core"
    verbose_name = "Accounts and site"

    def ready(self) -> None:
        # Make the project's Celery app the current one in every Django process (web, shell,
        # tests), so shared tasks are sent to the configured broker.
        import config.celery  # noqa: F401, PLC0415 - ready(): once the app registry is loaded
