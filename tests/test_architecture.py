"""The shape every app keeps, checked by reading the code (import-linter checks the imports).

Views, API modules and forms only parse input, call a service or a selector, and render: they
never query or write a model themselves. A check that finds nothing proves nothing, so each
rule is also run against a small sample that breaks it.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
APPS = ("crm", "ats", "nurture", "analytics")
LAYER_PACKAGES = ("services", "selectors", "views", "api")
# Calls that write through the ORM (or a ModelForm/serializer that does).
WRITE_CALLS = {
    "save",
    "delete",
    "create",
    "bulk_create",
    "bulk_update",
    "get_or_create",
    "update_or_create",
}


def view_layer_files() -> list[Path]:
    files = []
    for app in APPS:
        for package in ("views", "api", "forms"):
            files += sorted((ROOT / app / package).rglob("*.py"))
        forms = ROOT / app / "forms.py"
        if forms.exists():
            files.append(forms)
    return files


def problems_in(source: str) -> list[str]:
    """Each way ``source`` queries or writes a model itself, as 'line: what'."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Attribute) and node.attr == "objects":
            found.append(f"{node.lineno}: builds a query (.objects)")
        elif isinstance(node, ast.ImportFrom) and node.module == "django.db":
            if any(alias.name == "transaction" for alias in node.names):
                found.append(f"{node.lineno}: manages a transaction")
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            name = node.func.attr
            if name in WRITE_CALLS:
                found.append(f"{node.lineno}: writes (.{name}())")
            elif name == "update" and isinstance(node.func.value, ast.Call):
                found.append(f"{node.lineno}: writes (queryset .update())")
    return found


def test_architecture_check_catches_each_kind_of_write():
    sample = (
        "from django.db import transaction\n"
        "def view(request, form, serializer):\n"
        "    Candidate.objects.filter(pk=1)\n"
        "    form.save()\n"
        "    serializer.save()\n"
        "    Job.objects.filter(pk=1).update(title='x')\n"
        "    thing.delete()\n"
        "    context = {}\n"
        "    context.update(a=1)\n"
    )
    kinds = [line.split(": ", 1)[1] for line in problems_in(sample)]
    assert kinds.count("writes (.save())") == 2
    assert "manages a transaction" in kinds
    assert "writes (queryset .update())" in kinds
    assert "writes (.delete())" in kinds
    assert kinds.count("builds a query (.objects)") == 2
    assert len(kinds) == 7  # a dict's update() is not a write


def test_every_app_has_the_same_layers():
    for app in ("crm", "ats", "nurture"):
        missing = [
            name for name in LAYER_PACKAGES if not (ROOT / app / name / "__init__.py").exists()
        ]
        assert not missing, f"{app} has no {', '.join(missing)} package"
        flat = sorted(
            path.name
            for path in (ROOT / app).glob("*.py")
            if re.match(r"(views|urls|services|selectors|serializers)_|api(_urls)?\.py$", path.name)
        )
        assert not flat, f"{app} still has flat layer modules: {flat}"


@pytest.mark.parametrize("path", view_layer_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_views_api_and_forms_neither_query_nor_write(path):
    problems = problems_in(path.read_text())
    assert not problems, f"{path.relative_to(ROOT)}: " + "; ".join(problems)


def test_view_layer_files_are_found():
    """The parametrized check above must have something to check in every app."""
    files = {path.relative_to(ROOT).parts[0] for path in view_layer_files()}
    assert {"crm", "ats", "nurture"} <= files


def test_services_and_selectors_packages_export_nothing():
    """Callers import the concept module (``crm.services.merge``), never a re-export."""
    for app in ("crm", "ats", "nurture"):
        for layer in ("services", "selectors"):
            init = ROOT / app / layer / "__init__.py"
            tree = ast.parse(init.read_text())
            code = [
                node
                for node in tree.body
                if not (isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant))
                and not (isinstance(node, ast.ImportFrom) and node.module == "__future__")
            ]
            assert not code, f"{init.relative_to(ROOT)} holds code; it should hold a docstring only"


HELPER_COPIES = {
    "an id parser other than config.core.forms.parse_id": re.compile(r"isdigit\(\) and len\("),
    "an htmx check other than config.core.htmx": re.compile(
        r"getattr\(request, [\"']htmx[\"']|if (not )?request\.htmx\b"
    ),
    "a merge-chain walk other than crm.selectors.candidates.candidate_survivor": re.compile(
        r"while [a-z_]+\.merged_into_id"
    ),
    "an access decorator other than config.core.roles.role_required": re.compile(r"@wraps\(view\)"),
}
HELPER_HOMES = {
    "config/core/forms.py",
    "config/core/htmx.py",
    "crm/selectors/candidates.py",
    "config/core/roles.py",
}


def test_one_of_each_helper():
    offenders = []
    for path in sorted(ROOT.glob("[a-z]*/**/*.py")):
        relative = str(path.relative_to(ROOT))
        if relative.startswith((".venv", "var/", "tests/")) or relative in HELPER_HOMES:
            continue
        text = path.read_text()
        for what, pattern in HELPER_COPIES.items():
            if pattern.search(text):
                offenders.append(f"{relative}: {what}")
    assert not offenders, offenders
