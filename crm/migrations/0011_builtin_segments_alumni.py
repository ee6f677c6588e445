"""The built-in "Alumni" segment also takes hires who later left (ats' ``former_employee``
condition) and people imported as alumni (source), not only the tag; "Warm passive" says that
"keep me posted" counts. A segment a user already edited is left as they made it."""

from django.db import migrations

OLD_ALUMNI = {"conditions": {"tags_any": ["alumni"]}}
NEW_ALUMNI = {
    "conditions": {"tags_any": ["alumni"], "source_any": ["alumni"], "former_employee": True},
    "match": "any",
}
ALUMNI_TEXT = (
    "Former employees: hired and later marked as left, imported as alumni, or tagged alumni.",
    "Former employees (tagged alumni).",
)
WARM_TEXT = (
    "Opened, clicked or replied to one of our messages (or said “keep me posted”) in the last "
    "90 days.",
    "Opened, clicked or replied to one of our messages in the last 90 days.",
)


def forwards(apps, schema_editor):
    Pool = apps.get_model("crm", "Pool")
    Pool.objects.filter(built_in="alumni", rule=OLD_ALUMNI).update(rule=NEW_ALUMNI)
    Pool.objects.filter(built_in="alumni", description=ALUMNI_TEXT[1]).update(
        description=ALUMNI_TEXT[0]
    )
    Pool.objects.filter(built_in="warm-passive", description=WARM_TEXT[1]).update(
        description=WARM_TEXT[0]
    )


def backwards(apps, schema_editor):
    Pool = apps.get_model("crm", "Pool")
    Pool.objects.filter(built_in="alumni", rule=NEW_ALUMNI).update(rule=OLD_ALUMNI)
    Pool.objects.filter(built_in="alumni", description=ALUMNI_TEXT[0]).update(
        description=ALUMNI_TEXT[1]
    )
    Pool.objects.filter(built_in="warm-passive", description=WARM_TEXT[0]).update(
        description=WARM_TEXT[1]
    )


class Migration(migrations.Migration):
    dependencies = [("crm", "0010_preferences_events_topic")]
    operations = [migrations.RunPython(forwards, backwards)]
