"""The domain depends only on the standard library, eventsourcing and pydantic, never on the outer layers."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import domain

DOMAIN_DIR = Path(domain.__file__).parent
OUTER_LAYERS = {"fastapi", "psycopg", "api", "projections", "ledger", "replay", "starlette", "uvicorn"}
ALLOWED = set(sys.stdlib_module_names) | {"__future__", "domain", "eventsourcing", "pydantic"}


def imported_modules(path: Path) -> set[str]:
    """The top-level names of the absolute imports in one source file."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def domain_imports() -> dict[str, set[str]]:
    sources = sorted(DOMAIN_DIR.rglob("*.py"))
    assert len(sources) > 5, f"expected the domain's modules under {DOMAIN_DIR}"
    return {str(path.relative_to(DOMAIN_DIR)): imported_modules(path) for path in sources}


def test_domain_imports_no_outer_layer_or_framework() -> None:
    offending = {
        path: names & OUTER_LAYERS for path, names in domain_imports().items() if names & OUTER_LAYERS
    }

    assert offending == {}


def test_domain_imports_only_the_standard_library_eventsourcing_and_pydantic() -> None:
    offending = {path: names - ALLOWED for path, names in domain_imports().items() if names - ALLOWED}

    assert offending == {}


def test_import_check_sees_imports_inside_functions_and_from_imports(tmp_path: Path) -> None:
    source = tmp_path / "sample.py"
    source.write_text("import os.path\nfrom fastapi import FastAPI\n\ndef f():\n    import psycopg\n")

    assert imported_modules(source) == {"os", "fastapi", "psycopg"}
