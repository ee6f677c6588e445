"""The start every bench shares: settings, a database of its own, migrated, and a size.

Each bench works in its own database on the server the settings point at (``DATABASE_URL`` or
the embedded PostgreSQL), never in the development one: a bench must not migrate a developer's
database behind their back, and demo data there would change its figures. :func:`setup` creates
that database when it is missing and applies any migration it lacks, so a bench works on a fresh
clone and after every schema change; then Django is set up and the app modules can be imported.

Run the benches as modules from the project directory (``python -m bench.ats``), as the
Makefile does. ``python -m bench._setup`` only prepares a database (``$BENCH_DATABASE``; the tests use it).
"""

from __future__ import annotations

import os
import sys
import time

import django
import psycopg
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from psycopg import sql

SETTINGS = "config.settings.test"  # DEBUG off, and the test broker (TEST_BROKER_DB), not dev's


def number(variable: str, default: int) -> int:
    """A positive whole number from ``$variable``, else ``default``."""
    return _positive(os.environ.get(variable, ""), variable) or default


def size(variable: str, default: int) -> int:
    """How big a run is: the first command-line argument, else ``$variable``, else
    ``$BENCH_SIZE``, else ``default``."""
    return (
        _positive(sys.argv[1] if len(sys.argv) > 1 else "", "the first argument")
        or _positive(os.environ.get(variable, ""), variable)
        or _positive(os.environ.get("BENCH_SIZE", ""), "BENCH_SIZE")
        or default
    )


def _positive(raw: str, where: str) -> int | None:
    if not raw:
        return None
    if not raw.isdigit() or int(raw) < 1:
        raise SystemExit(f"bench: {where} must be a positive whole number, got {raw!r}")
    return int(raw)


def setup(*, variable: str, default: str) -> str:
    """Point Django at the bench's database (``$variable``, else ``default``), create it when
    missing, set Django up and migrate. Returns the database name."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS)
    name = os.environ.get(variable) or default
    _create(name)
    django.setup()
    _migrate(name)
    return name


def _create(name: str) -> None:
    """Create the database ``name`` beside the settings' one when it is missing, and make it
    the default connection's (before anything connects)."""
    db = settings.DATABASES["default"]
    info = {"dbname": db["NAME"], "user": db.get("USER"), "password": db.get("PASSWORD")}
    info |= {"host": db.get("HOST"), "port": db.get("PORT")}
    with psycopg.connect(**{k: v for k, v in info.items() if v}, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            print(f"bench: created database {name}", flush=True)
    db["NAME"] = name


def _migrate(name: str) -> None:
    """Apply the migrations the database lacks (nothing to do costs one query)."""
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if not plan:
        return
    began = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(
        f"bench: applied {len(plan)} migrations to {name} in {time.perf_counter() - began:.1f} s",
        flush=True,
    )


if __name__ == "__main__":
    ready = setup(variable="BENCH_DATABASE", default="talentloop_bench")
    print(f"bench: database {ready} ready")
