"""Router of the audit surface: the full event history of a court booking."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Path
from pydantic import BaseModel

from api.deps import RuntimeDep, require_service_scope
from api.schemas_common import ExternalIdPath, error_responses
from domain.context import Principal
from domain.ids import court_booking_id
from replay.history import court_booking_history

router = APIRouter(prefix="/api/v1/audit", tags=["audit"])
Auditor = Annotated[Principal, Depends(require_service_scope("audit:read"))]


class HistoryEventOut(BaseModel):
    version: int
    type: str
    recordedAt: str
    meta: dict[str, str]
    data: dict[str, object]


class HistoryOut(BaseModel):
    aggregateId: UUID
    events: list[HistoryEventOut]


@router.get(
    "/court-bookings/{externalServiceId}/{externalCourtBookingId}/history",
    responses=error_responses(400, 401, 403, 404, 503),
)
def court_booking_history_endpoint(
    externalServiceId: Annotated[UUID, Path()],
    externalCourtBookingId: ExternalIdPath,
    principal: Auditor,
    runtime: RuntimeDep,
) -> HistoryOut:
    """Every event of the booking in order, with its version and metadata (actor, time, trace, request)."""
    entries = court_booking_history(runtime.ledger, externalServiceId, externalCourtBookingId)
    return HistoryOut(
        aggregateId=court_booking_id(externalServiceId, externalCourtBookingId),
        events=[
            HistoryEventOut(
                version=e.version, type=e.type, recordedAt=e.recorded_at, meta=e.meta, data=e.data
            )
            for e in entries
        ],
    )
