"""The history of one aggregate: every event in order, with its version, metadata and payload."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, datetime
from typing import Any, Protocol, runtime_checkable
from uuid import UUID

from eventsourcing.persistence import StoredEvent

from domain.application import Ledger
from domain.context import format_instant
from domain.court_booking import CourtBookingNotFoundError
from domain.ids import court_booking_id
from replay.chain import hex_or_none

_ENVELOPE = {"originator_id", "originator_version", "timestamp", "originator_topic", "meta"}


@dataclass(frozen=True)
class HistoryEntry:
    """One event as an auditor sees it."""

    version: int
    type: str
    recorded_at: str
    meta: dict[str, str]
    data: dict[str, Any]
    hash: str | None = None
    """The event's hash in its stream's chain (replay/chain.py), hex; None while not yet hashed."""


@runtime_checkable
class HashedEvents(Protocol):
    """A recorder that reads an aggregate's events with their hashes (PostgreSQL's does)."""

    def select_hashed_events(self, aggregate_id: UUID) -> list[tuple[StoredEvent, bytes | None]]: ...


def events_with_hashes(ledger: Ledger, aggregate_id: UUID) -> list[tuple[Any, bytes | None]]:
    recorder = ledger.recorder
    if isinstance(recorder, HashedEvents):
        return [
            (ledger.mapper.to_domain_event(stored), digest)
            for stored, digest in recorder.select_hashed_events(aggregate_id)
        ]
    return [(event, None) for event in ledger.events.get(aggregate_id)]


def plain(value: Any) -> Any:
    """A JSON-ready copy of an event field."""
    if isinstance(value, datetime):
        return format_instant(value)
    if isinstance(value, (UUID, date)):
        return str(value) if isinstance(value, UUID) else value.isoformat()
    if isinstance(value, dict):
        return {str(key): plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(item) for item in value]
    return value


def history_entry(event: Any, digest: bytes | None) -> HistoryEntry:
    """An event as an auditor sees it, with its hash in its stream's chain."""
    names = [f.name for f in fields(event)]
    meta = dict(getattr(event, "meta", {}))
    return HistoryEntry(
        version=event.originator_version,
        type=type(event).__qualname__,
        recorded_at=meta.get("recordedAt", format_instant(event.timestamp)),
        meta=meta,
        data={name: plain(getattr(event, name)) for name in names if name not in _ENVELOPE},
        hash=hex_or_none(digest),
    )


def aggregate_history(ledger: Ledger, aggregate_id: UUID) -> list[HistoryEntry]:
    return [history_entry(event, digest) for event, digest in events_with_hashes(ledger, aggregate_id)]


def court_booking_history(
    ledger: Ledger, external_service_id: UUID, external_court_booking_id: str
) -> list[HistoryEntry]:
    entries = aggregate_history(ledger, court_booking_id(external_service_id, external_court_booking_id))
    if not entries:
        raise CourtBookingNotFoundError("Court booking was not found.")
    return entries
