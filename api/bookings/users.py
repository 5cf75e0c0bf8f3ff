"""Router of the LE-KO "Delete user data from bookings": crypto-shredding of a user's personal data."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import Depends, Query
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from api.bookings.deps import Caller, caller_with
from api.bookings.errors import ActingUserRequiredError
from api.bookings.responses import as_json
from api.bookings.surface import SURFACE
from api.shared.deps import RuntimeDep
from api.shared.schemas import Instant
from domain.errors import AccessDeniedError
from domain.user import UserNotFoundError
from ledger.personal_data.erasure import erase_user

router = SURFACE.router(prefix="/api/v1/users", tags=["bookings and orders"])
Eraser = Annotated[Caller, Depends(caller_with("users:write"))]


class ErasureNotPermittedError(AccessDeniedError):
    """Raised when a caller without the admin scope asks to erase another user's data."""


class ErasureOut(BaseModel):
    """What was erased: whose data, when, which kinds of personal data, how many keys were destroyed, and how
    many events from before encryption hold the data in plaintext (masked on every read, not shredded)."""

    userId: UUID
    erasedAt: Instant
    kinds: list[str]
    keysDestroyed: int
    plaintextEvents: int


@router.delete(
    "/data",
    response_model=ErasureOut,
    responses=SURFACE.responses(ErasureNotPermittedError, UserNotFoundError),
)
def delete_user_data(
    caller: Eraser,
    runtime: RuntimeDep,
    userId: Annotated[
        UUID | None, Query(description="The user to erase (admin only); the current user if unset.")
    ] = None,
) -> JSONResponse:
    """Erase the user's personal data from every booking, order, note and dispute, irreversibly: their data
    keys are destroyed, so every event, history and replay shows those fields as erased, while the bookings
    keep their times, courts, prices and statuses."""
    acting = caller.acting_user_id
    target = userId or acting
    if target is None:
        raise ActingUserRequiredError("userId or the x-current-user-id header names the user to erase.")
    if target != acting and not caller.is_system:
        raise ErasureNotPermittedError("Only a caller with the admin scope erases another user's data.")
    assert runtime.vault is not None
    erasure = erase_user(
        runtime.ledger, runtime.vault, caller.ctx, target, acting, runtime.idempotency_keys()
    )
    body = ErasureOut(
        userId=erasure.user_id,
        erasedAt=erasure.erased_at,
        kinds=erasure.kinds,
        keysDestroyed=len(erasure.key_ids),
        plaintextEvents=erasure.plaintext_events,
    )
    return as_json(runtime, body, 200, erasure.position)
