"""Each route carries its surface, and declares its error responses from the table that answers them."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute

from api.app import create_app
from api.shared.surface import Surface, SurfaceRoute, Surfaces
from ledger.settings import Settings

SURFACE_NAMES = {
    "partner-sync",
    "console",
    "bookings",
    "admin",
    "audit",
    "client-api",
    "query",
    "oauth",
    "payment-webhooks",
    "module-api",
    "operations",
    "changes",
}


@pytest.fixture(scope="module")
def app(settings: Settings) -> FastAPI:
    return create_app(settings=settings)


def mounted(app: FastAPI) -> list[Surface]:
    surfaces: Surfaces = app.state.surfaces
    return surfaces.mounted


def surface_routes(app: FastAPI) -> Iterator[tuple[Surface, APIRoute]]:
    for surface in mounted(app):
        for router in surface.routers:
            for route in router.routes:
                assert isinstance(route, APIRoute), route
                yield surface, route


def operations(app: FastAPI) -> Iterator[tuple[Surface, APIRoute]]:
    """The routes that are API operations; the console's pages answer HTML and stay out of the documents."""
    return ((surface, route) for surface, route in surface_routes(app) if route.include_in_schema)


def declared_errors(route: APIRoute) -> dict[int, dict[str, object]]:
    return {int(status): response for status, response in route.responses.items() if int(status) >= 400}


def named_types(description: str) -> set[str]:
    """The error types that a derived description lists before its note: `a, b: note.` or `a, b.`."""
    return set(description.split(":")[0].rstrip(".").split(", "))


def test_the_app_mounts_every_surface(app: FastAPI) -> None:
    assert {surface.name for surface in mounted(app)} == SURFACE_NAMES


def test_every_route_of_a_surface_carries_that_surface(app: FastAPI) -> None:
    routes = list(surface_routes(app))

    assert len(routes) >= 30
    for surface, route in routes:
        assert isinstance(route, SurfaceRoute), route.path
        assert route.surface is surface, route.path


def test_every_documented_operation_but_the_probes_belongs_to_a_surface(app: FastAPI) -> None:
    documented = {
        (method, path)
        for path, item in app.openapi()["paths"].items()
        for method in item
        if method in {"get", "put", "post", "delete", "patch"}
    }
    of_surfaces = {
        (method.lower(), route.path) for _, route in operations(app) for method in route.methods or ()
    }

    assert documented == of_surfaces | {("get", "/health"), ("get", "/ready")}


def test_every_route_of_every_surface_declares_its_error_responses_in_its_surfaces_schema(
    app: FastAPI,
) -> None:
    for surface, route in operations(app):
        errors = declared_errors(route)

        assert errors, f"{route.methods} {route.path} declares no error response"
        for status, response in errors.items():
            assert response["model"] is surface.format.model, f"{route.path} {status}"
            assert response["description"], f"{route.path} {status}"


def test_every_status_a_route_declares_is_one_its_surfaces_table_maps(app: FastAPI) -> None:
    for surface, route in operations(app):
        types: defaultdict[int, set[str]] = defaultdict(set)
        for status, error_type in surface.errors.values():
            types[status].add(error_type)

        for status, response in declared_errors(route).items():
            assert status in types, f"{route.path} declares {status}, which {surface.name} never answers"
            description = str(response["description"])
            assert named_types(description) <= types[status], f"{route.path} {status}: {description}"


def test_routes_that_need_a_caller_declare_what_their_surfaces_resolver_refuses(app: FastAPI) -> None:
    for surface, route in operations(app):
        declared = declared_errors(route)

        assert {400, 401, 503} <= set(declared), f"{surface.name}: {route.path} declares {sorted(declared)}"
