"""Dependencies of the partner-sync surface: the external service's reader and writer, the upsert body."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import Depends, Path

from api.partner_sync.batch import CourtBookingBatchIn
from api.partner_sync.schemas import CourtBookingIn
from api.shared.auth import require_service_scope
from api.shared.consistency import consistent_with
from api.shared.deps import context_of, json_body
from domain.context import Principal, RequestContext

Reader = Annotated[Principal, Depends(require_service_scope("court-bookings:read"))]
write_context = context_of(require_service_scope("court-bookings:write"))
WriteContext = Annotated[RequestContext, Depends(write_context)]
UpsertBody = Annotated[CourtBookingIn, Depends(json_body(CourtBookingIn, write_context))]
BatchBody = Annotated[CourtBookingBatchIn, Depends(json_body(CourtBookingBatchIn, write_context))]
ServiceId = Annotated[UUID, Path(description="External service ID (UUID): the client's id.")]
Consistency = Annotated[bool | None, Depends(consistent_with(lambda runtime: runtime.court_bookings))]
