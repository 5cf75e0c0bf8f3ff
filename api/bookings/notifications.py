"""Router of the LE-KO cron endpoint: send the booking notifications that the rules make due now."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends
from pydantic import BaseModel, Field
from starlette.responses import JSONResponse

from api.bookings.deps import Caller, caller_with
from api.bookings.responses import as_json
from api.bookings.surface import SURFACE
from api.shared.deps import RuntimeDep
from domain.notification_runs import MAX_PAIRS
from projections.changes.notification_queries import Claimed, claimed, due_pairs

router = SURFACE.router(prefix="/api/v1/notifications", tags=["bookings and orders"])
NotificationSender = Annotated[Caller, Depends(caller_with("notifications:send", acting_user_required=False))]


class NotificationsSentOut(BaseModel):
    """What one call did: each (rule, booking) pair it found due is counted in exactly one of the others."""

    due: int = Field(description="Pairs of a rule and a booking found due and not sent yet.")
    enqueued: int = Field(description="Pairs this call queued: each is sent once, by this call only.")
    alreadySent: int = Field(description="Pairs that a concurrent call queued first; not sent again.")
    skipped: int = Field(
        description="Pairs whose rule was removed, or booking ended, before they were queued."
    )
    pending: int = Field(description="Pairs recorded but not yet claimed when the answer was given.")
    hasMore: bool = Field(description="More pairs are due than one call takes; call again.")


@router.post("/send", response_model=NotificationsSentOut, responses=SURFACE.responses())
def send_notifications(caller: NotificationSender, runtime: RuntimeDep) -> JSONResponse:
    """Send booking notifications according to the defined rules; meant to be called periodically.

    A client's key sends its own rules' notifications, an admin client's every client's. The pairs found
    due are recorded as one event; the changes view claims each (rule, booking) pair once, whichever call
    named it first, so calls repeated or made at once never send a pair twice.
    """
    view, wait = runtime.changes, runtime.settings.consistency_wait_seconds
    # Every booking change and rule recorded before the call is considered (as far as the wait allows).
    view.wait_for(runtime.reported_position(None), wait)
    pairs = due_pairs(view, caller.ctx.now, caller.visible_client(), MAX_PAIRS + 1)
    more, pairs = len(pairs) > MAX_PAIRS, pairs[:MAX_PAIRS]
    position, counts, pending = None, Claimed(0, 0), 0
    if pairs:
        position = runtime.ledger.record_due_notifications(caller.ctx, pairs)
        if view.wait_for(position, wait):
            counts = claimed(view, pairs, position)
        else:
            pending = len(pairs)
    answer = NotificationsSentOut(
        due=len(pairs),
        enqueued=counts.now,
        alreadySent=counts.before,
        skipped=len(pairs) - counts.now - counts.before - pending,
        pending=pending,
        hasMore=more,
    )
    return as_json(runtime, answer, 200, position)
