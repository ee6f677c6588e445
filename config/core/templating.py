"""Merge fields in texts people write (a sequence step's subject and body, an offer letter):
``{{ candidate.first_name }}``, ``{{ company }}``.

Templates are Jinja2 rendered in a :class:`~jinja2.sandbox.SandboxedEnvironment` over a context
of plain data (strings, never model objects), so a template can reach nothing beyond the merge
fields. Each app names its own fields (``fields``: group → {key: sample} or name → sample) and
validates a template when it is saved: bad syntax, or a merge field that does not exist, is an
error then (with the line), not at send time.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from jinja2 import StrictUndefined, TemplateSyntaxError, nodes
from jinja2.sandbox import SandboxedEnvironment

_env = SandboxedEnvironment(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=True)


@dataclass(frozen=True)
class TemplateProblem:
    field: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.field}, line {self.line}: {self.message}"


def _names(node: nodes.Node) -> Iterator[tuple[str, int]]:
    """Yield (dotted name, line) for every variable or attribute chain used."""
    for getattr_node in node.find_all(nodes.Getattr):
        if isinstance(getattr_node.node, nodes.Name):
            yield f"{getattr_node.node.name}.{getattr_node.attr}", getattr_node.lineno
    for name in node.find_all(nodes.Name):
        if name.ctx == "load":
            yield name.name, name.lineno


def _example(fields: Mapping[str, Any]) -> str:
    for group, value in fields.items():
        if isinstance(value, Mapping) and value:
            return f"{group}.{next(iter(value))}"
    return next(iter(fields), "")


def validate(source: str, field: str, fields: Mapping[str, Any]) -> list[TemplateProblem]:
    """Problems with ``source`` against the merge ``fields`` (empty list when it is fine)."""
    try:
        tree = _env.parse(source or "")
    except TemplateSyntaxError as exc:
        return [TemplateProblem(field, exc.lineno or 1, exc.message or "bad syntax")]
    problems = []
    chained = set()
    for dotted, line in _names(tree):
        group, _, key = dotted.partition(".")
        if not key:
            continue
        chained.add((group, line))
        value = fields.get(group)
        if not isinstance(value, Mapping):
            problems.append(TemplateProblem(field, line, f"unknown merge field “{dotted}”"))
        elif key not in value:
            known = ", ".join(f"{group}.{k}" for k in value)
            problems.append(
                TemplateProblem(field, line, f"unknown merge field “{dotted}” (use {known})")
            )
    for dotted, line in _names(tree):
        if "." in dotted or (dotted, line) in chained:
            continue
        if dotted in fields and not isinstance(fields[dotted], Mapping):
            continue
        problems.append(
            TemplateProblem(
                field, line, f"“{dotted}” is not a merge field (e.g. {_example(fields)})"
            )
        )
    if not problems:
        try:
            render(source, dict(fields))
        except Exception as exc:  # a filter misused, a sandbox refusal...
            problems.append(TemplateProblem(field, 1, str(exc)))
    return sorted(set(problems), key=lambda p: (p.line, p.message))


@lru_cache(maxsize=512)
def _compiled(source: str):
    return _env.from_string(source)


def render(source: str, context: Mapping[str, Any]) -> str:
    """Render in the sandbox; an undefined value raises (validation keeps that from sends).
    Compiled templates are cached by their text (an edit is a new text)."""
    return _compiled(source or "").render(context)
