from django.core.management.base import BaseCommand, CommandError

from config.core.demo import DEMO_USERS, DemoDataRefused, demo_users_load


class Command(BaseCommand):
    help = "Load the demo data (idempotent) and print the demo logins. Refused in production."

    def handle(self, *args, **options):
        try:
            result = demo_users_load()
        except DemoDataRefused as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"demo data: {result['users_created']} user(s) created, "
            f"{result['users_total']} demo users in all"
        )
        for demo in DEMO_USERS:
            self.stdout.write(f"login: {demo.username} / {demo.password}")
