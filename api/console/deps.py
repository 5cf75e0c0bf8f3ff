"""Dependencies of the console's pages: who is signed in, with which scope, and the parsed parameters."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Annotated
from urllib.parse import parse_qs
from uuid import UUID

from fastapi import Depends, Request

from api.console.errors import ConsoleInputError, ConsoleScopeError
from api.query.deps import granted_organisation
from api.shared.auth import authenticated
from api.shared.deps import RuntimeDep
from domain.context import Principal
from projections.analytics_bookings import AnalyticsBookingsView
from projections.console_reads import ConsoleReads, Place

MAX_FORM_FIELDS = 10


def require_console_scope(scope: str) -> Callable[[Principal], Principal]:
    def dependency(principal: Annotated[Principal, Depends(authenticated)]) -> Principal:
        if not principal.has_scope(scope):
            raise ConsoleScopeError(f"This page needs the {scope} scope.")
        return principal

    return dependency


def console_reads(runtime: RuntimeDep) -> ConsoleReads:
    return ConsoleReads(runtime.view(AnalyticsBookingsView))


async def form_fields(request: Request) -> dict[str, str]:
    """A URL-encoded form's fields, each given once; the body's size is bounded by the app's middleware."""
    body = (await request.body()).decode("utf-8", errors="replace")
    fields = parse_qs(body, keep_blank_values=True, max_num_fields=MAX_FORM_FIELDS)
    return {name: values[0] for name, values in fields.items()}


Viewer = Annotated[Principal, Depends(authenticated)]
Analyst = Annotated[Principal, Depends(require_console_scope("analytics:read"))]
Reads = Annotated[ConsoleReads, Depends(console_reads)]
Form = Annotated[dict[str, str], Depends(form_fields)]


def parse_date(raw: str | None, name: str) -> date | None:
    if raw is None or not raw.strip():
        return None
    try:
        return date.fromisoformat(raw.strip())
    except ValueError:
        raise ConsoleInputError(f"{name} must be a date, YYYY-MM-DD.") from None


def parse_uuid(raw: str | None, name: str) -> UUID | None:
    if raw is None or not raw.strip():
        return None
    try:
        return UUID(raw.strip())
    except ValueError:
        raise ConsoleInputError(f"{name} must be an id (a UUID).") from None


def granted_organisations(principal: Principal, reads: ConsoleReads) -> list[Place]:
    """The organisations the principal may look at: all for the admin, else those granted to its key."""
    if "admin" in principal.scopes:
        return reads.organisations()
    return [place for place in reads.places(principal.organization_ids) if place.parent_id is None]


def chosen_organisation(
    principal: Principal, reads: ConsoleReads, raw: str | None
) -> tuple[list[Place], Place | None]:
    """The organisations to choose from and the one chosen (the first when none is asked for).

    One that is not granted is refused exactly as the query API refuses it.
    """
    organisations = granted_organisations(principal, reads)
    if raw is None or not raw.strip():
        return organisations, organisations[0] if organisations else None
    organisation_id = granted_organisation(principal, raw)
    found = [place for place in organisations if place.id == organisation_id]
    if not found:
        raise ConsoleInputError("No organisation with this id is known to the bookings view.")
    return organisations, found[0]
