"""The built-in segments a new install has: dynamic pools, editable (refreshed by the beat's
``crm.pools_refresh_all`` every 15 minutes, or "Refresh now" on the pool's page)."""

from django.db import migrations

BUILT_IN = (
    (
        "silver-medalists",
        "Silver medalists",
        "Rejected after the final round, or tagged silver medalist.",
        {"conditions": {"tags_any": ["silver medalist"], "silver_medalist": True}, "match": "any"},
    ),
    (
        "warm-passive",
        "Warm passive",
        "Opened, clicked or replied to one of our messages in the last 90 days.",
        {"conditions": {"engaged_within_days": 90}},
    ),
    (
        "cold-passive",
        "Cold passive",
        "Written to, but no engagement for 180 days.",
        {"conditions": {"not_engaged_for_days": 180}},
    ),
    (
        "alumni",
        "Alumni",
        "Former employees (tagged alumni).",
        {"conditions": {"tags_any": ["alumni"]}},
    ),
    (
        "talent-community",
        "Talent community",
        "Confirmed members of the talent community.",
        {"conditions": {"community_status": "confirmed"}},
    ),
    (
        "python-engineers",
        "Python engineers",
        "A template by skill: everyone with Python.",
        {"filters": {"skills": "python"}},
    ),
    (
        "senior-and-above",
        "Senior and above",
        "A template by seniority.",
        {"filters": {"seniority": "senior,lead,manager,director,executive"}},
    ),
    ("berlin", "Berlin", "A template by location.", {"filters": {"location": "Berlin"}}),
)


def add_built_ins(apps, schema_editor):
    Pool = apps.get_model("crm", "Pool")
    for slug, name, description, rule in BUILT_IN:
        if Pool.objects.filter(built_in=slug).exists() or Pool.objects.filter(name=name).exists():
            continue
        Pool.objects.create(
            name=name, description=description, kind="dynamic", rule=rule, built_in=slug
        )


def remove_built_ins(apps, schema_editor):
    apps.get_model("crm", "Pool").objects.filter(built_in__in=[b[0] for b in BUILT_IN]).delete()


class Migration(migrations.Migration):
    dependencies = [("crm", "0008_i13_pools_pools")]
    operations = [migrations.RunPython(add_built_ins, remove_built_ins)]
