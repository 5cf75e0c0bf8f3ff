"""Mounting a surface on the app: its routers, its place among the surfaces, its own OpenAPI document."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from starlette.requests import Request
from starlette.responses import JSONResponse

from api.shared.openapi import openapi_document
from api.shared.surface import Surface, Surfaces


def mount_surface(app: FastAPI, surface: Surface) -> None:
    """Serve the surface's routes, answer its errors in its format, and serve its own OpenAPI document at
    `surface.openapi_path` (`<base path>/openapi.json`, or `/openapi/<name>.json` for a surface at the root).
    """
    surfaces: Surfaces = app.state.surfaces
    surfaces.add(surface)
    for router in surface.routers:
        app.include_router(router)
    built: dict[str, Any] = {}

    async def openapi(_: Request) -> JSONResponse:
        if not built:
            routes = [route for router in surface.routers for route in router.routes]
            title = f"{app.title}: {surface.name}"
            built.update(openapi_document(app, routes, title, surface.base_path))
        return JSONResponse(built)

    app.add_route(surface.openapi_path, openapi, include_in_schema=False)
