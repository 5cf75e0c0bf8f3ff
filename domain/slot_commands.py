"""Reads of booking slots: a template's slots in a range, and its earliest ones, each with a signed id."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from domain.availability import utc_instant
from domain.booking_template import BookingTemplate
from domain.slot_ids import SLOT_ID_LIFETIME, SlotClaim, sign_slot_id
from domain.template_reads import TemplateReads
from domain.template_slots import (
    MAX_SLOT_RANGE,
    Slot,
    booking_window,
    checked_range,
    earliest_slots,
    template_slots,
)


@dataclass(frozen=True)
class OfferedSlot:
    """A slot as offered to a customer: its signed id, when it runs, and the resources it books."""

    id: str
    start: datetime
    end: datetime
    resource_ids: tuple[UUID, ...]


@dataclass(frozen=True)
class SlotOffer:
    """The slots found in a range of UTC instants, and the venue's timezone that they are shown in."""

    range_start: datetime
    range_end: datetime
    timezone: str
    slots: list[OfferedSlot]


class SlotCommands(TemplateReads):
    """Booking slots of templates; `slot_key` signs their ids (the caller holds the key, as bytes)."""

    def booking_slots(
        self,
        organization_id: UUID,
        template_id: UUID,
        range_start: datetime,
        range_end: datetime,
        now: datetime,
        slot_key: bytes,
    ) -> SlotOffer:
        """Every slot of the template starting in [range_start, range_end), a range of at most 7 days."""
        low, high = checked_range(range_start, range_end)
        template = self.get_booking_template(organization_id, template_id)
        terms, tz = template.terms, self.template_timezone(template)
        resources = self.template_resources(terms.resource_ids)
        times = self.resource_times(resources, (low - terms.hold_before, high + terms.hold_after))
        slots = template_slots(terms, times, tz, now, low, high)
        return SlotOffer(low, high, tz.key, self._offered(template, slots, now, slot_key))

    def earliest_booking_slots(
        self, organization_id: UUID, template_id: UUID, now: datetime, slot_key: bytes
    ) -> SlotOffer:
        """The template's earliest slots within its booking window: one per resource free at that start.

        The window is searched a week at a time, so the calendar is read only as far as the first slot.
        """
        template = self.get_booking_template(organization_id, template_id)
        terms, tz = template.terms, self.template_timezone(template)
        resources = self.template_resources(terms.resource_ids)
        window_start, window_end = booking_window(terms, tz, utc_instant(now))
        low = window_start
        while low < window_end:
            high = min(low + MAX_SLOT_RANGE, window_end)
            times = self.resource_times(resources, (low - terms.hold_before, high + terms.hold_after))
            slots = earliest_slots(terms, times, tz, now, low, high)
            if slots:
                return SlotOffer(
                    window_start, window_end, tz.key, self._offered(template, slots, now, slot_key)
                )
            low = high
        return SlotOffer(window_start, max(window_start, window_end), tz.key, [])

    @staticmethod
    def _offered(
        template: BookingTemplate, slots: Sequence[Slot], now: datetime, slot_key: bytes
    ) -> list[OfferedSlot]:
        expires_at = utc_instant(now) + SLOT_ID_LIFETIME
        return [
            OfferedSlot(
                sign_slot_id(SlotClaim(template.id, slot.resource_ids, slot.start, expires_at), slot_key),
                slot.start,
                slot.end,
                slot.resource_ids,
            )
            for slot in slots
        ]
