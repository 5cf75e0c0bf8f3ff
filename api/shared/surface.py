"""A surface: one API dialect with its routes, error table, format and authentication; and the registry."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, ClassVar

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from fastapi.routing import APIRoute
from starlette.types import Scope

from api.shared.errors import RETRY_AFTER_SECONDS, ErrorFormat, ErrorTable, Problem, RequestInfo, entry_for
from api.shared.rate_limit import RateLimitedError
from domain.context import Principal
from domain.errors import LedgerError
from ledger.runtime import Runtime

AuthResolver = Callable[[Request, Runtime], Principal]
"""Finds the caller of a request, or raises an `AccessDeniedError`; each surface chooses one."""

NAME = re.compile(r"^[a-z][a-z0-9-]*$")
BASE_PATH = re.compile(r"^(/[A-Za-z0-9._~-]+)*$")
NOTES = {
    413: "the request body is over the size limit",
    429: "retry after Retry-After seconds",
    431: "the request headers are over the size limit",
    503: "retry after Retry-After seconds",
}


class SurfaceRoute(APIRoute):
    """A route that carries its surface, so that an error on it is answered in that surface's format."""

    surface: ClassVar[Surface]


@dataclass(frozen=True, eq=False)
class Surface:
    """One API dialect: its name, base path, error table and format, how it authenticates, and its routers.

    Routers come from `router()`, so that their routes carry the surface and sit below its base path.
    """

    name: str
    errors: ErrorTable
    format: ErrorFormat
    auth: AuthResolver
    base_path: str = ""
    common: tuple[type[Exception], ...] = ()
    """Errors that any route of the surface may answer: authentication, validation, availability."""
    paths: tuple[str, ...] = ()
    """Path prefixes it answers for before routing (404, 405, 413, 431); `<base path>/` by default."""
    routers: list[APIRouter] = field(default_factory=list, init=False)
    route_class: type[SurfaceRoute] = field(init=False)

    def __post_init__(self) -> None:
        if not NAME.match(self.name):
            raise ValueError(f"A surface name is lowercase letters, digits and dashes: {self.name!r}.")
        if not BASE_PATH.match(self.base_path):
            raise ValueError(f"A base path starts with / and does not end with one: {self.base_path!r}.")
        route_class = type(f"SurfaceRoute[{self.name}]", (SurfaceRoute,), {"surface": self})
        object.__setattr__(self, "route_class", route_class)
        if self.base_path and not self.paths:
            object.__setattr__(self, "paths", (f"{self.base_path}/",))

    @property
    def openapi_path(self) -> str:
        """Where the surface's own OpenAPI document is served."""
        return f"{self.base_path}/openapi.json" if self.base_path else f"/openapi/{self.name}.json"

    def router(self, prefix: str = "", **options: Any) -> APIRouter:
        """A new router of this surface, below its base path."""
        router = APIRouter(prefix=f"{self.base_path}{prefix}", route_class=self.route_class, **options)
        self.routers.append(router)
        return router

    def owns(self, path: str) -> bool:
        return path.startswith(self.paths)

    def claim(self, path: str) -> int:
        """How much of `path` the surface's longest matching prefix covers; 0 when it does not own it."""
        return max((len(prefix) for prefix in self.paths if path.startswith(prefix)), default=0)

    def problem_for(self, error: LedgerError) -> Problem:
        status, error_type = entry_for(self.errors, type(error))
        headers = {"Retry-After": RETRY_AFTER_SECONDS} if status == 503 else {}
        if isinstance(error, RateLimitedError):
            headers["Retry-After"] = str(error.retry_after)
        if status == 401:
            headers["WWW-Authenticate"] = "Bearer"
        parts = [self.problem_for(part) for part in getattr(error, "problems", [])]
        if parts:
            # A rejection of several items answers the most basic of their statuses (404 before 409).
            status = min(part.status for part in parts)
        return Problem(status, error_type, error.message, getattr(error, "issues", None), headers, parts)

    def response(self, problem: Problem, scope: Scope) -> Response:
        if self.format.respond is not None:
            return self.format.respond(problem, RequestInfo.of(scope))
        body = self.format.render(problem, RequestInfo.of(scope))
        return JSONResponse(body, status_code=problem.status, headers=problem.headers)

    def error_response(self, scope: Scope, error: LedgerError) -> Response:
        return self.response(self.problem_for(error), scope)

    def responses(self, *raises: type[Exception]) -> dict[int | str, dict[str, Any]]:
        """The OpenAPI error responses of a route that raises `raises`, besides the surface's common errors.

        Statuses and types come from the error table that answers the errors, so the two cannot drift.
        """
        types: dict[int, list[str]] = {}
        for error in (*self.common, *raises):
            status, error_type = entry_for(self.errors, error)
            if error_type not in types.setdefault(status, []):
                types[status].append(error_type)
        return {
            status: {"model": self.format.model, "description": describe(status, types[status])}
            for status in sorted(types)
        }


def describe(status: int, types: list[str]) -> str:
    listed = ", ".join(types)
    return f"{listed}: {NOTES[status]}." if status in NOTES else f"{listed}."


class Surfaces:
    """The app's surfaces. An error belongs to the surface of the route that matched; a refusal made before
    routing, to the surface with the longest of the path prefixes it starts with; anything else, to the
    default."""

    def __init__(self, default: Surface) -> None:
        self.default = default
        self.mounted: list[Surface] = []

    def add(self, surface: Surface) -> None:
        if any(mounted.name == surface.name for mounted in self.mounted):
            raise ValueError(f"A surface named {surface.name!r} is already mounted.")
        self.mounted.append(surface)

    def surface_for(self, scope: Scope) -> Surface:
        surface = getattr(scope.get("route"), "surface", None)
        if isinstance(surface, Surface):
            return surface
        path = scope.get("path", "")
        claims = [(mounted.claim(path), mounted) for mounted in self.mounted]
        longest, owner = max(claims, key=lambda claim: claim[0], default=(0, self.default))
        return owner if longest else self.default

    def error_response(self, scope: Scope, error: LedgerError) -> Response:
        """The response for an error, in the format of the surface it belongs to."""
        return self.surface_for(scope).error_response(scope, error)
