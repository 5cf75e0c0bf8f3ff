"""Router of the audit surface: the full event history of a court booking."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import Depends, Path

from api.audit.schemas import HistoryOut
from api.audit.surface import SURFACE
from api.shared.auth import require_service_scope
from api.shared.deps import RuntimeDep
from api.shared.schemas import ExternalIdPath
from domain.context import Principal
from domain.court_booking import CourtBookingNotFoundError
from domain.ids import court_booking_id
from replay.history import court_booking_history

router = SURFACE.router(prefix="/api/v1/audit", tags=["audit"])
Auditor = Annotated[Principal, Depends(require_service_scope("audit:read"))]


@router.get(
    "/court-bookings/{externalServiceId}/{externalCourtBookingId}/history",
    responses=SURFACE.responses(CourtBookingNotFoundError),
)
def court_booking_history_endpoint(
    externalServiceId: Annotated[UUID, Path()],
    externalCourtBookingId: ExternalIdPath,
    principal: Auditor,
    runtime: RuntimeDep,
) -> HistoryOut:
    """Every event of the booking in order, with its version and metadata (actor, time, trace, request)."""
    entries = court_booking_history(runtime.ledger, externalServiceId, externalCourtBookingId)
    return HistoryOut.of(court_booking_id(externalServiceId, externalCourtBookingId), entries)
