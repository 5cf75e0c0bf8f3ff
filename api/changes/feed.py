"""Router of the change feed: a client's changes in ledger order, paged by an opaque cursor, long-polled."""

from __future__ import annotations

import asyncio
from typing import Annotated, Any
from uuid import UUID

from fastapi import Depends, Query, Request, Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from api.changes.params import decode_cursor, encode_cursor, parse_types
from api.changes.surface import SCOPE, SURFACE, CursorExpiredError
from api.changes.watcher import ChangeWaits
from api.shared.auth import require_scope
from api.shared.deps import RuntimeDep
from api.shared.fair_share import FairShareExceededError, stepped_aside
from api.shared.problems import ConsistencyWaitersBusyError
from domain.context import Principal
from ledger.runtime import Runtime
from projections.changes.view import FeedPage

router = SURFACE.router(prefix="/api/v1", tags=["changes"])
Reader = Annotated[Principal, Depends(require_scope(SCOPE))]
MAX_LIMIT, MAX_WAIT_SECONDS = 1000, 30


class Change(BaseModel):
    """One change of one entity, as it now is after the change."""

    position: int = Field(description="The change's position in the ledger; changes come in this order.")
    type: str = Field(examples=["court_booking.canceled"], description="`<entity>.<what happened>`.")
    entity: str = Field(examples=["court_booking"])
    id: UUID = Field(description="The entity's id in the ledger.")
    externalId: str | None = Field(description="The partner's own id of the entity, where it has one.")
    state: dict[str, Any] = Field(description="The entity's state after the change (no personal data).")
    recordedAt: str = Field(examples=["2030-05-01T09:00:00.000Z"])


class ChangePage(BaseModel):
    """A page of changes; pass `next` as `after` to read on. Without more changes, `next` still moves
    on past what the page saw, so polling with it never reads a change twice."""

    changes: list[Change]
    next: str = Field(description="The cursor after this page (opaque).")
    hasMore: bool = Field(description="Whether more changes follow at once; if not, poll or long-poll.")


def _read(runtime: Runtime, client_id: UUID, after: int | None, limit: int, types: list[str]) -> FeedPage:
    return runtime.changes.feed_page(client_id, after, limit, types)


def _next_position(after: int | None, page: FeedPage) -> int:
    if page.more and page.last is not None:
        return page.last
    return max(after or 0, page.last or 0, page.head)


def _rendered(page: FeedPage, after: int | None) -> Response:
    # The changes are JSON as the view built them; only the envelope is written here.
    cursor = encode_cursor(_next_position(after, page))
    more = "true" if page.more else "false"
    body = f'{{"changes":{page.changes},"next":"{cursor}","hasMore":{more}}}'
    return Response(content=body, media_type="application/json")


@router.get(
    "/changes",
    response_model=ChangePage,
    responses=SURFACE.responses(CursorExpiredError, ConsistencyWaitersBusyError, FairShareExceededError),
)
async def list_changes(
    request: Request,
    caller: Reader,
    runtime: RuntimeDep,
    after: Annotated[str | None, Query(description="The `next` cursor of the previous page.")] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 100,
    types: Annotated[
        str | None,
        Query(
            description="Comma-separated change types or entities to keep, e.g. `court_booking,booking."
            "canceled`; all when absent."
        ),
    ] = None,
    wait: Annotated[
        float,
        Query(ge=0, le=MAX_WAIT_SECONDS, description="Seconds to wait for a change when none is there."),
    ] = 0,
) -> Response:
    """The calling client's changes in ledger order: its partner court bookings, the bookings and orders it
    placed for its users, its client-API bookings and the appointments it booked, cancellations included.

    With `wait`, an empty page waits (holding no server thread) until the client has a change or the time
    is up. A cursor from before the retention answers 410 `cursor_expired`: start again without `after`.
    """
    client_id = caller.client_id
    assert client_id is not None  # API keys belong to clients
    position = decode_cursor(after)[0] if after is not None else None
    kinds = parse_types(types)
    page = await run_in_threadpool(_read, runtime, client_id, position, limit, kinds)
    if position is not None and position < page.horizon:
        raise CursorExpiredError(
            f"The cursor is older than the feed's retention ({runtime.settings.change_retention_days:g} "
            "days): those changes were pruned. Read again without `after` and reconcile from the entities."
        )
    if page.count or not wait:
        return _rendered(page, position)
    seen = _next_position(position, page)
    deadline = asyncio.get_running_loop().time() + wait
    waits: ChangeWaits = request.app.state.change_waits
    watcher = waits.watcher(runtime.changes)
    while (remaining := deadline - asyncio.get_running_loop().time()) > 0:
        async with stepped_aside(request.scope):
            woken = await watcher.wait_for(client_id, seen, remaining)
        if not woken:
            break
        page = await run_in_threadpool(_read, runtime, client_id, seen, limit, kinds)
        if page.count:
            break
        seen = _next_position(seen, page)  # changes of other types: wait on past them
    return _rendered(page, seen)
