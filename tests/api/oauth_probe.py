"""A test-only surface that authenticates with OAuth access tokens, and apps that serve it with given keys."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

import httpx
from fastapi import Depends
from pydantic import BaseModel, SecretStr

from api.app import create_app
from api.oauth import ACCESS_TOKEN_ERRORS, oauth_access_principal
from api.shared.auth import authenticated
from api.shared.envelope import ENVELOPE
from api.shared.errors import COMMON_TYPES, REQUEST_ERRORS
from api.shared.mount import mount_surface
from api.shared.surface import Surface
from domain.context import Principal
from ledger.runtime import Runtime
from tests.support import ServerThread

WHOAMI = "/oauth-probe/whoami"


class CallerOut(BaseModel):
    id: str
    kind: str
    scopes: list[str]
    organization_ids: list[str]


def probe_surface() -> Surface:
    """One route, `GET /oauth-probe/whoami`, that answers the caller its access token resolves to."""
    surface = Surface(
        name="oauth-probe",
        errors=COMMON_TYPES,
        format=ENVELOPE,
        auth=oauth_access_principal,
        common=(*REQUEST_ERRORS, *ACCESS_TOKEN_ERRORS),
        paths=("/oauth-probe/",),
    )
    router = surface.router(prefix="/oauth-probe", tags=["probe"])

    @router.get("/whoami", responses=surface.responses())
    def whoami(caller: Annotated[Principal, Depends(authenticated)]) -> CallerOut:
        return CallerOut(
            id=caller.id,
            kind=caller.kind,
            scopes=sorted(caller.scopes),
            organization_ids=sorted(str(organization) for organization in caller.organization_ids),
        )

    return surface


@contextmanager
def probed_app(runtime: Runtime, signing_keys: str | None = None) -> Iterator[httpx.Client]:
    """The ledger's app with the probe mounted, signing with `signing_keys` (`kid:secret,...`) when given."""
    if signing_keys is not None:
        settings = runtime.settings.model_copy(update={"oauth_signing_keys": SecretStr(signing_keys)})
        runtime = dataclasses.replace(runtime, settings=settings)
    app = create_app(runtime=runtime)
    mount_surface(app, probe_surface())
    with ServerThread(app) as server, httpx.Client(base_url=server.url, timeout=30) as client:
        yield client


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}
