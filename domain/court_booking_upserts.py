"""Court-booking upserts, one or a batch: each booking decided with its calendar days, saved together."""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from uuid import UUID

from domain.app_base import Saved
from domain.calendar import Calendar, Hold
from domain.context import RequestContext
from domain.court_booking import CourtBooking, OrganizationAccessDeniedError, UserAccessDeniedError
from domain.court_booking_terms import CourtBookingTerms, checked_participants
from domain.errors import LedgerError
from domain.ids import client_user_link_id, court_booking_id, resource_day_id
from domain.key_locks import KeyLocks
from domain.lookups import Lookups
from domain.organization import Resource
from domain.resource_day import ResourceDay
from domain.upsert_groups import chunks, groups

MAX_BATCH = 500
# Items are saved in transactions of about this many bookings (two or three events each), whole groups of
# items that share a calendar day or a booking at a time, so one group is always decided in one save.
SAVE_ITEMS = 120

Outcome = Saved[CourtBooking] | LedgerError


@dataclass(frozen=True)
class UpsertItem:
    """One booking of an upsert, as the partner sends it."""

    external_court_booking_id: str
    court_id: UUID
    start: datetime
    end: datetime
    participants: Sequence[tuple[UUID | None, str | None]]
    external_updated_at: datetime


@dataclass
class _Prepared:
    """An item that passed the checks needing no storage: its place, terms, court and booking id."""

    index: int
    item: UpsertItem
    terms: CourtBookingTerms
    court: Resource
    external_service_id: UUID
    booking_id: UUID

    def stream_ids(self, held: Hold | None, client_id: UUID | None) -> list[UUID]:
        """The streams deciding the item needs: its booking, the days of its old and new hold, its users'
        links to the client."""
        days = set(self.terms.hold.days()) | (held.days() if held else set())
        links = [client_user_link_id(client_id, user) for user in self.terms.user_ids] if client_id else []
        return [self.booking_id, *(resource_day_id(r, d) for r, d in sorted(days, key=str)), *links]


@dataclass
class _Working:
    """The aggregates a group of items is decided on, loaded together, changed in place, saved together."""

    streams: dict[UUID, Any]
    changed: dict[UUID, Any] = field(default_factory=dict)

    def day(self, resource_id: UUID, day: date) -> ResourceDay | None:
        found = self.streams.get(resource_day_id(resource_id, day))
        return found if isinstance(found, ResourceDay) else None


class CourtBookingUpserts(Lookups):
    """Upserts by external id; a batch decides the items that share a calendar day (or a booking) together."""

    # The key of the payload fingerprints (set by the runtime from the master keys); None: plain SHA-256.
    fingerprint_key: bytes | None = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._upsert_locks = KeyLocks()

    def upsert_court_booking(
        self,
        ctx: RequestContext,
        external_service_id: UUID,
        external_court_booking_id: str,
        court_id: UUID,
        start: datetime,
        end: datetime,
        participants: Sequence[tuple[UUID | None, str | None]],
        external_updated_at: datetime,
    ) -> Saved[CourtBooking]:
        item = UpsertItem(external_court_booking_id, court_id, start, end, participants, external_updated_at)
        (outcome,) = self.upsert_court_bookings(ctx, external_service_id, [item])
        if isinstance(outcome, LedgerError):
            raise outcome
        return outcome

    def upsert_court_bookings(
        self, ctx: RequestContext, external_service_id: UUID, items: Sequence[UpsertItem]
    ) -> list[Outcome]:
        """Each item's outcome, in order: what its own upsert would have answered, had the items been sent
        one after another. A refused item changes nothing; the others are still decided."""
        outcomes: list[Outcome | None] = [None] * len(items)
        prepared: list[_Prepared] = []
        for index, item in enumerate(items):
            try:
                prepared.append(self._prepare_upsert(ctx, external_service_id, index, item))
            except LedgerError as error:
                outcomes[index] = error
        # This process's other batches on these days wait, rather than decide on what this one is about to
        # change and lose the race (a booking's present days, unknown yet, are not waited for). A single
        # upsert is short: it takes no lock and, like any writer, retries a race it loses.
        days = (
            (resource_day_id(*day) for p in prepared for day in p.terms.hold.days()) if len(items) > 1 else ()
        )
        with self._upsert_locks.holding(days):
            streams = self._upsert_streams(ctx, prepared)
            held = {p.booking_id: _hold_of(streams.get(p.booking_id)) for p in prepared}
            keyed = [(p, _keys(p, held[p.booking_id])) for p in prepared]
            for chunk in chunks(groups(keyed), SAVE_ITEMS):
                chunk.sort(key=lambda p: p.index)
                for index, outcome in self._decide_chunk(ctx, chunk, streams).items():
                    outcomes[index] = outcome
        assert all(outcome is not None for outcome in outcomes)
        return [outcome for outcome in outcomes if outcome is not None]

    def _prepare_upsert(
        self, ctx: RequestContext, external_service_id: UUID, index: int, item: UpsertItem
    ) -> _Prepared:
        terms = CourtBookingTerms(
            item.court_id,
            item.start,
            item.end,
            checked_participants(item.participants),
            item.external_updated_at,
            self.fingerprint_key,
        )
        court = self.get_court(item.court_id)
        if court.organization_id not in ctx.principal.organization_ids:
            raise OrganizationAccessDeniedError(
                "The service is not granted access to the court's organization."
            )
        booking_id = court_booking_id(external_service_id, item.external_court_booking_id)
        return _Prepared(index, item, terms, court, external_service_id, booking_id)

    def _decide_chunk(
        self, ctx: RequestContext, chunk: list[_Prepared], preloaded: dict[UUID, Any]
    ) -> dict[int, Outcome]:
        """Decide the chunk's items in order and save what they changed in one transaction, retried (with
        fresh reads) when a concurrent writer took a version; every item's outcome by its index."""
        unused = [preloaded]  # the first attempt decides on the streams read for the whole batch

        def attempt() -> dict[int, Outcome]:
            streams = unused.pop() if unused else self._upsert_streams(ctx, chunk)
            working = _Working(streams)
            decided = {p.index: self._decide_item(ctx, p, working) for p in chunk}
            position = self.save_many(*working.changed.values()) if working.changed else None
            for aggregate in working.changed.values():
                # Saved, so as the log has it: the next batch on the day reads only the events after it.
                if isinstance(aggregate, ResourceDay):
                    self._days_read.put(aggregate.id, aggregate)
            return {
                index: Saved(outcome.value, outcome.created, position)
                if changed and isinstance(outcome, Saved)
                else outcome
                for index, (outcome, changed) in decided.items()
            }

        try:
            return self.with_retry(attempt)
        except LedgerError as error:  # the chunk kept losing races: none of its items was written
            return {p.index: error for p in chunk}

    def _upsert_streams(self, ctx: RequestContext, items: list[_Prepared]) -> dict[UUID, Any]:
        """The streams the items need, by id: every booking, the days of its new hold and its users' links in
        one read; then, in a second, the days of a booking's present hold that the first did not ask for."""
        client_id = ctx.principal.client_id
        asked = {each: None for p in items for each in p.stream_ids(None, client_id)}
        streams = self.find_together(list(asked), self._days_read)
        more = [
            each
            for p in items
            for each in p.stream_ids(_hold_of(streams.get(p.booking_id)), client_id)
            if each not in asked
        ]
        if more:
            streams.update(self.find_together(more, self._days_read))
        return streams

    def _decide_item(
        self, ctx: RequestContext, prepared: _Prepared, working: _Working
    ) -> tuple[Outcome, bool]:
        """One item against the working aggregates, and whether it changed them; a refusal changes nothing."""
        try:
            self._check_upsert_links(ctx, prepared, working)
            meta, terms = ctx.meta(), prepared.terms
            organization_id = prepared.court.organization_id
            calendar = Calendar(working.day)
            booking = working.streams.get(prepared.booking_id)
            if not isinstance(booking, CourtBooking):
                item = prepared.item
                booking = CourtBooking.register(
                    prepared.external_service_id,
                    item.external_court_booking_id,
                    organization_id,
                    terms,
                    meta,
                    prepared.booking_id,
                )
                days = calendar.reserve(booking.id, terms.hold, meta)
                created = True
            else:
                if not booking.would_revise(organization_id, terms):
                    return Saved(copy.copy(booking)), False
                days = calendar.move(booking.id, booking.hold, terms.hold, meta)
                booking.revise(organization_id, terms, meta)
                created = False
        except LedgerError as error:
            return error, False
        for aggregate in (booking, *days):
            working.streams[aggregate.id] = working.changed[aggregate.id] = aggregate
        # The outcome shows the booking as this item left it; a later item of the batch may change it again.
        return Saved(copy.copy(booking), created=created), True

    def _check_upsert_links(self, ctx: RequestContext, prepared: _Prepared, working: _Working) -> None:
        client_id = ctx.principal.client_id
        user_ids = prepared.terms.user_ids
        unlinked = [
            str(user)
            for user in user_ids
            if client_id is None or client_user_link_id(client_id, user) not in working.streams
        ]
        if unlinked:
            raise UserAccessDeniedError(
                f"The service is not granted access to user(s) {', '.join(unlinked)}.", user_ids=unlinked
            )


def _hold_of(stream: Any) -> Hold | None:
    return stream.hold if isinstance(stream, CourtBooking) else None


def _keys(prepared: _Prepared, held: Hold | None) -> list[Any]:
    """What an item shares with the items it must be decided with: its booking, its old and new days."""
    return [prepared.booking_id, *prepared.terms.hold.days(), *(held.days() if held else ())]
