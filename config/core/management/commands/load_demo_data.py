from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.module_loading import import_string

from config.core.demo import DEMO_USERS, DemoDataRefused, demo_users_load

# Each app's demo data, loaded after the users, in dependency order (core knows the apps only
# by name, so it imports none of them).
APP_DEMO_LOADERS = (
    ("crm", "crm.demo.demo_candidates_load"),
    ("crm", "crm.demo_community.demo_community_load"),
    ("ats", "ats.demo.demo_jobs_load"),
    ("ats", "ats.demo_interviews.demo_interviews_load"),
    ("nurture", "nurture.demo.demo_enrollments_load"),
    ("nurture", "nurture.demo_history.demo_history_load"),
    ("nurture", "nurture.demo_job_alerts.demo_job_alerts_load"),
    ("crm", "crm.demo_pools.demo_pools_load"),
)


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
        recruiter = get_user_model().objects.get(username="recruiter")
        for label, path in APP_DEMO_LOADERS:
            if apps.is_installed(label):
                counts = import_string(path)(actor=recruiter)
                self.stdout.write(
                    f"demo data ({label}): "
                    + ", ".join(f"{value} {key.replace('_', ' ')}" for key, value in counts.items())
                )
        for demo in DEMO_USERS:
            self.stdout.write(f"login: {demo.username} / {demo.password}")
