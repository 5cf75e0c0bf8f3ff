"""OpenAPI documents: the app's and each surface's, without FastAPI's default 422 validation error."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from starlette.routing import BaseRoute


def openapi_document(
    app: FastAPI, routes: Sequence[BaseRoute], title: str, base_path: str = ""
) -> dict[str, Any]:
    """The document of `routes`; validation errors answer 400 in the surface's format, never FastAPI's 422.

    With a base path, paths are written below it and the base path is the document's server, as an SDK's
    base URL.
    """
    schema = get_openapi(title=title, version=app.version, description=app.description, routes=list(routes))
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    for path in schema.get("paths", {}).values():
        for operation in path.values():
            responses = operation.get("responses", {})
            if "HTTPValidationError" in str(responses.get("422", "")):
                del responses["422"]
            for content in operation.get("requestBody", {}).get("content", {}).values():
                components.update(content.get("schema", {}).pop("$defs", {}))
    for name in ("HTTPValidationError", "ValidationError"):
        schema.get("components", {}).get("schemas", {}).pop(name, None)
    if base_path:
        schema["paths"] = {path.removeprefix(base_path): item for path, item in schema["paths"].items()}
        schema["servers"] = [{"url": base_path}]
    return schema


def without_422(app: FastAPI) -> Callable[[], dict[str, Any]]:
    """The app's `openapi` method: every route of every surface, built once."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = openapi_document(app, app.routes, app.title)
        return app.openapi_schema

    return openapi
