"""Routes of booking templates and their slots: the list, the earliest slots, the slots of a range."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Annotated
from uuid import UUID

from fastapi import Path, Query

from api.module_api.deps import ID_DOC, Call, SlotKeysDep, path_id
from api.module_api.errors import InvalidPathIdError
from api.module_api.schemas import ModuleSlotRangeOut, ModuleTemplateListContent, ModuleTemplateListOut
from api.module_api.surface import SURFACE
from api.module_api.views import slot_range_out, template_out
from api.shared.deps import RuntimeDep
from domain.booking_template import BookingTemplateNotFoundError
from domain.organization import OrganizationNotFoundError, Venue
from domain.template_slots import InvalidSlotRangeError

PREFIX = "/module/v3/{locale}/organization/{organizationId}"
RECORD_LIMIT = 9999
router = SURFACE.router(prefix=PREFIX, tags=["module-api"])
TemplateId = Annotated[str, Path(description=f"The booking template's id. {ID_DOC}")]
# A `+` of an offset that was not percent-encoded arrives as a space: `...T10:00:00 01:00`.
_SPACED_OFFSET = re.compile(r"(.*T[0-9:.]+) ([0-9]{2}:?[0-9]{2})")
EARLIEST_YEAR, LATEST_YEAR = 1900, 9998


@router.get(
    "/bookingTemplate/list",
    summary="List the organization's booking templates",
    responses=SURFACE.responses(OrganizationNotFoundError),
)
def list_templates(call: Call, runtime: RuntimeDep) -> ModuleTemplateListOut:
    """Every booking template of the organization, in the order they were created, each with the address
    of its resources' venue."""
    templates = runtime.ledger.list_booking_templates(call.organization_id)
    venues: dict[UUID, Venue] = {}
    records = []
    for template in templates[:RECORD_LIMIT]:
        if template.venue_id not in venues:
            venues[template.venue_id] = runtime.ledger.template_venue(template)
        records.append(template_out(template, venues[template.venue_id]))
    content = ModuleTemplateListContent(
        recordTotal=len(templates), recordLimit=RECORD_LIMIT, recordList=records
    )
    return ModuleTemplateListOut(content=content)


@router.get(
    "/bookingTemplate/{templateId}/bookingSlot/earliest",
    summary="Get the earliest booking slots of a template",
    responses=SURFACE.responses(InvalidPathIdError, BookingTemplateNotFoundError),
)
def earliest_slots(
    call: Call, templateId: TemplateId, runtime: RuntimeDep, keys: SlotKeysDep
) -> ModuleSlotRangeOut:
    """The earliest start at which the template can be booked, with one slot per resource free then; the
    range is the template's booking window. No slot in the window answers an empty list."""
    template_id = path_id("templateId", templateId)
    offer = runtime.ledger.earliest_booking_slots(
        call.organization_id, template_id, call.ctx.now, slot_key=keys.signing
    )
    return slot_range_out(offer)


@router.get(
    "/bookingTemplate/{templateId}/bookingSlot/list",
    summary="List the booking slots of a template in a range of at most 7 days",
    responses=SURFACE.responses(InvalidPathIdError, InvalidSlotRangeError, BookingTemplateNotFoundError),
)
def list_slots(
    call: Call,
    templateId: TemplateId,
    runtime: RuntimeDep,
    keys: SlotKeysDep,
    rangeStart: Annotated[
        str | None, Query(description="An instant with its offset, e.g. 2030-05-06T00:00:00+02:00.")
    ] = None,
    rangeEnd: Annotated[str | None, Query(description="At most 7 days after rangeStart.")] = None,
) -> ModuleSlotRangeOut:
    """Every bookable slot starting in [rangeStart, rangeEnd), by start, then by resource."""
    template_id = path_id("templateId", templateId)
    start, end = instant("rangeStart", rangeStart), instant("rangeEnd", rangeEnd)
    offer = runtime.ledger.booking_slots(
        call.organization_id, template_id, start, end, call.ctx.now, slot_key=keys.signing
    )
    return slot_range_out(offer)


def instant(name: str, raw: str | None) -> datetime:
    """A query parameter's instant, which must carry its UTC offset."""
    if raw is None or not raw.strip():
        raise InvalidSlotRangeError(f"{name} is required: an instant with its UTC offset.", field=name)
    text = raw.strip()
    spaced = _SPACED_OFFSET.fullmatch(text)
    if spaced:
        text = f"{spaced.group(1)}+{spaced.group(2)}"
    try:
        moment = datetime.fromisoformat(text)
        if moment.utcoffset() is not None and EARLIEST_YEAR <= moment.astimezone(UTC).year <= LATEST_YEAR:
            return moment
    except (ValueError, OverflowError):
        pass
    raise InvalidSlotRangeError(
        f"{name} must be an ISO 8601 instant with its UTC offset, such as 2030-05-06T00:00:00+02:00, "
        f"from the years {EARLIEST_YEAR} to {LATEST_YEAR}.",
        field=name,
    )
