"""The client API surface: below `/matchengine`, API keys with the `client-api` scope, the seed's errors."""

from __future__ import annotations

from fastapi import Request
from starlette.routing import Match
from starlette.types import Scope

from api.client_api.errors import CLIENT_API_FORMAT, CLIENT_API_TYPES, INVALID_TOKEN, NOT_AUTHENTICATED
from api.shared.auth import API_KEY_ERRORS, api_key_principal
from api.shared.errors import REQUEST_ERRORS
from api.shared.problems import MissingApiTokenError, ScopePermissionDeniedError
from api.shared.surface import Surface, SurfaceRoute
from domain.client import InvalidApiTokenError
from domain.context import Principal
from ledger.runtime import Runtime

BASE_PATH = "/matchengine"


class SlashOptionalRoute(SurfaceRoute):
    """A route whose path ends in `/` and that answers without it too, the same way: no redirect, which would
    lose a POST body on the way, and no second route, so documents list each path once, as the seed does."""

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        match, child = super().matches(scope)
        path = scope.get("path", "")
        if match is Match.NONE and self.path.endswith("/") and not path.endswith("/"):
            return super().matches({**scope, "path": f"{path}/"})
        return match, child


class ClientApiSurface(Surface):
    """A surface whose routes answer their paths with and without the trailing slash."""

    def __post_init__(self) -> None:
        super().__post_init__()
        route_class = type(f"SurfaceRoute[{self.name}]", (SlashOptionalRoute,), {"surface": self})
        object.__setattr__(self, "route_class", route_class)


def client_api_principal(request: Request, runtime: Runtime) -> Principal:
    """The client of the API key, as for every client surface, refused with the seed's messages."""
    try:
        return api_key_principal(request, runtime)
    except MissingApiTokenError:
        raise MissingApiTokenError(NOT_AUTHENTICATED) from None
    except InvalidApiTokenError:
        raise InvalidApiTokenError(INVALID_TOKEN) from None


SURFACE = ClientApiSurface(
    name="client-api",
    errors=CLIENT_API_TYPES,
    format=CLIENT_API_FORMAT,
    auth=client_api_principal,
    base_path=BASE_PATH,
    common=(*REQUEST_ERRORS, *API_KEY_ERRORS, ScopePermissionDeniedError),
)
