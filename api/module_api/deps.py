"""Dependencies of the module API: the call (token, scope, locale, organization), path ids, slot keys."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated
from uuid import UUID

from fastapi import Depends, Path, Request, Response

from api.module_api.errors import InvalidLocaleError, InvalidPathIdError, OrganizationNotPermittedError
from api.module_api.messages import language_of
from api.shared.auth import authenticated
from api.shared.deps import RuntimeDep
from api.shared.problems import ScopePermissionDeniedError
from domain.context import Principal, RequestContext
from ledger.runtime import Runtime
from ledger.slot_keys import SlotKeys

SCOPE = "module-api"
_ID = re.compile(
    r"[0-9a-fA-F]{32}|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
)
LOCALE_DOC = "A language code such as de or en (messages in German or English; other languages get English)."
ID_DOC = "A UUID, with or without hyphens."


@dataclass(frozen=True)
class ModuleCall:
    """A call admitted to the module API: its command context, the path's organization and language."""

    ctx: RequestContext
    organization_id: UUID
    language: str


def path_id(name: str, raw: str) -> UUID:
    """An id of the path: a UUID, also accepted as 32 hexadecimal characters without hyphens."""
    if not _ID.fullmatch(raw):
        raise InvalidPathIdError(f"{name} must be a UUID, with or without hyphens.", field=name)
    return UUID(raw)


def module_call(
    request: Request,
    runtime: RuntimeDep,
    principal: Annotated[Principal, Depends(authenticated)],
    locale: Annotated[str, Path(description=LOCALE_DOC, examples=["de"])],
    organizationId: Annotated[str, Path(description=f"The organization of the access token. {ID_DOC}")],
) -> ModuleCall:
    """Admits the client of a valid access token (401 otherwise) with the module-api scope, for the
    organization the token is for (403 otherwise); the locale and ids are checked after the token."""
    if not principal.has_scope(SCOPE):
        raise ScopePermissionDeniedError(f"This operation needs the {SCOPE!r} scope.")
    language = language_of(locale)
    if language is None:
        raise InvalidLocaleError("The locale in the path must be a language code such as de or en.")
    organization_id = path_id("organizationId", organizationId)
    if organization_id not in principal.organization_ids:
        raise OrganizationNotPermittedError(
            "The access token is for another organization; request an access token for this one."
        )
    ctx = RequestContext(
        principal=principal,
        now=runtime.clock(),
        request_id=request.state.request_id,
        trace_id=request.state.trace_id,
    )
    return ModuleCall(ctx, organization_id, language)


Call = Annotated[ModuleCall, Depends(module_call)]


def slot_keys(request: Request) -> SlotKeys:
    """The slot-id keys that the app resolved when it started."""
    keys: SlotKeys = request.app.state.slot_keys
    return keys


SlotKeysDep = Annotated[SlotKeys, Depends(slot_keys)]


def mark_written(response: Response, runtime: Runtime, position: int | None) -> None:
    """Give a write's response the ledger position to wait for in the views."""
    response.headers["X-Ledger-Position"] = str(runtime.reported_position(position))
