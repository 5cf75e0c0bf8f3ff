"""The batch upsert's bodies: items checked one by one, and each outcome as its own upsert would answer it."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, Field, ValidationError
from starlette.types import Scope

from api.partner_sync.schemas import CourtBookingIn, CourtBookingOut
from api.partner_sync.surface import SURFACE
from api.shared.envelope import ErrorBody
from api.shared.errors import Problem, RequestInfo, validation_issues
from api.shared.schemas import EXTERNAL_ID_PATTERN
from domain.court_booking_upserts import MAX_BATCH, Outcome, UpsertItem
from domain.errors import LedgerError


class CourtBookingBatchItemIn(CourtBookingIn):
    """One booking of a batch: the upsert body with the partner's booking id."""

    externalCourtBookingId: str = Field(min_length=1, max_length=255, pattern=EXTERNAL_ID_PATTERN)


class CourtBookingBatchIn(BaseModel):
    """1 to 500 bookings, each a `CourtBookingBatchItemIn`; each is checked on its own, so a malformed one is
    answered in its own result and the others are still upserted."""

    # An item that is not a valid booking is kept as sent, to be answered in its own result.
    bookings: list[Annotated[CourtBookingBatchItemIn | Any, Field(union_mode="left_to_right")]] = Field(
        min_length=1, max_length=MAX_BATCH
    )


class CourtBookingBatchResult(BaseModel):
    """What the single upsert of the item would have answered: its status and body."""

    status: int = Field(examples=[201])
    body: CourtBookingOut | ErrorBody


class CourtBookingBatchOut(BaseModel):
    """One result per booking, in the order of the request's bookings."""

    results: list[CourtBookingBatchResult]


def parse_item(item: CourtBookingBatchItemIn | Any) -> UpsertItem | Problem:
    """The item as the command takes it, or the 400 its upsert would have answered."""
    if not isinstance(item, CourtBookingBatchItemIn):
        try:
            # Read again as JSON, for the issues the single upsert's body would have had.
            item = CourtBookingBatchItemIn.model_validate_json(json.dumps(item))
        except ValidationError as error:
            issues = validation_issues(RequestValidationError(error.errors(include_url=False)))
            return Problem(400, SURFACE.format.validation_type, "Request validation failed.", issues)
    return UpsertItem(
        item.externalCourtBookingId,
        item.courtId,
        item.startDate,
        item.endDate,
        item.participant_pairs(),
        item.externalUpdatedAt,
    )


def result_of(outcome: Outcome | Problem, scope: Scope) -> CourtBookingBatchResult:
    """The status and body of one item's outcome, in the surface's format for a refusal."""
    if isinstance(outcome, LedgerError):
        outcome = SURFACE.problem_for(outcome)
    if isinstance(outcome, Problem):
        rendered = SURFACE.format.render(outcome, RequestInfo.of(scope))
        return CourtBookingBatchResult(status=outcome.status, body=ErrorBody.model_validate(rendered))
    status = 201 if outcome.created else 200
    return CourtBookingBatchResult(status=status, body=CourtBookingOut.of(outcome.value))
