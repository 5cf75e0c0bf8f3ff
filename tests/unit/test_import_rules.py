"""Imports point inward (api -> ledger -> replay -> projections -> domain); api keeps off storage."""

from __future__ import annotations

import ast
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

import domain

ROOT = Path(domain.__file__).parent.parent
OUTER_LAYERS = ("api", "projections", "replay", "ledger", "fastapi", "psycopg", "starlette", "uvicorn")
ALLOWED = set(sys.stdlib_module_names) | {"__future__", "domain", "eventsourcing", "pydantic"}
STORAGE_INTERNALS = (
    "ledger.storage",
    "ledger.recorder",
    "ledger.embedded",
    "eventsourcing.postgres",
    "psycopg",
)


@dataclass(frozen=True)
class Rule:
    """Modules matching `pattern` (relative to the project root) import none of `forbidden` or below them."""

    pattern: str
    forbidden: tuple[str, ...]


RULES = [
    pytest.param(Rule("domain/**/*.py", OUTER_LAYERS), id="domain-imports-no-outer-layer"),
    pytest.param(Rule("api/**/*.py", STORAGE_INTERNALS), id="api-imports-no-storage-internals"),
    pytest.param(Rule("ledger/**/*.py", ("api",)), id="cli-and-runtime-import-no-api"),
    pytest.param(Rule("replay/**/*.py", ("api", "ledger")), id="replay-imports-no-api-or-runtime"),
    pytest.param(
        Rule("projections/**/*.py", ("api", "ledger", "replay")), id="projections-import-no-outer-layer"
    ),
]


def import_statements(path: Path) -> list[tuple[int, list[str]]]:
    """Each import of one source file, wherever it sits: its line and the dotted names it imports.

    `from a import b` imports a and a.b (b may be a module). Relative imports stay inside their own top-level
    package, which no rule forbids, so they are left out.
    """
    statements = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            statements.append((node.lineno, [alias.name for alias in node.names]))
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            submodules = [f"{node.module}.{alias.name}" for alias in node.names if alias.name != "*"]
            statements.append((node.lineno, [node.module, *submodules]))
    return sorted(statements)


def imported_names(path: Path) -> set[str]:
    return {name for _, names in import_statements(path) for name in names}


def imported_modules(path: Path) -> set[str]:
    """The top-level names of the imports in one source file."""
    return {name.split(".")[0] for name in imported_names(path)}


def is_below(name: str, prefixes: tuple[str, ...]) -> bool:
    return any(name == prefix or name.startswith(f"{prefix}.") for prefix in prefixes)


def sources(pattern: str) -> list[Path]:
    found = sorted(ROOT.glob(pattern))
    assert found, f"no module matches {pattern} under {ROOT}"
    return found


def violations(rule: Rule) -> list[str]:
    """One line per offending import: file, line, and the forbidden module it imports."""
    found = []
    for path in sources(rule.pattern):
        for line, names in import_statements(path):
            forbidden = [name for name in names if is_below(name, rule.forbidden)]
            if forbidden:
                found.append(f"{path.relative_to(ROOT)}:{line} imports {forbidden[0]}")
    return found


@pytest.mark.parametrize("rule", RULES)
def test_layer_imports_nothing_its_rule_forbids(rule: Rule) -> None:
    found = violations(rule)

    assert not found, "imports against the layering:\n" + "\n".join(found)


def test_domain_imports_only_the_standard_library_eventsourcing_and_pydantic() -> None:
    offending = {
        str(path.relative_to(ROOT)): names - ALLOWED
        for path in sources("domain/**/*.py")
        if (names := imported_modules(path)) - ALLOWED
    }

    assert offending == {}


def test_import_check_sees_imports_inside_functions_and_from_imports(tmp_path: Path) -> None:
    source = tmp_path / "sample.py"
    source.write_text("import os.path\nfrom fastapi import FastAPI\n\ndef f():\n    import psycopg\n")

    assert imported_modules(source) == {"os", "fastapi", "psycopg"}


def test_import_check_sees_a_module_imported_from_its_package(tmp_path: Path) -> None:
    source = tmp_path / "sample.py"
    source.write_text("from ledger import storage\nfrom eventsourcing.postgres import PostgresDatastore\n")

    assert {"ledger.storage", "eventsourcing.postgres"} <= imported_names(source)


def test_a_forbidden_module_covers_its_submodules_and_nothing_that_merely_shares_its_prefix() -> None:
    assert is_below("psycopg.rows", STORAGE_INTERNALS)
    assert is_below("ledger.storage", STORAGE_INTERNALS)
    assert not is_below("ledger.storage_settings", STORAGE_INTERNALS)
