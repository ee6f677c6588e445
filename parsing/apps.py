from django.apps import AppConfig


class ParsingConfig(AppConfig):
    name = "parsing"
    verbose_name = "Resume parsing"
