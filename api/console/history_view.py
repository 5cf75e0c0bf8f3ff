"""A booking's history for the console: each version's event, the state it left, and what it changed."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from api.console.errors import ConsoleInputError
from domain.application import Ledger
from domain.errors import NotFoundError
from replay.history import HistoryEntry, events_with_hashes, history_entry, plain

HIDDEN = "(hidden: needs the audit:read scope)"


class BookingHistoryNotFoundError(NotFoundError):
    """Raised when no event was ever recorded for the booking asked about."""


@dataclass(frozen=True)
class Change:
    """One field's value before and after a version, as text."""

    field: str
    before: str
    after: str


@dataclass(frozen=True)
class Version:
    """One event of the booking, the fields it changed, and the state it left."""

    entry: HistoryEntry
    changes: list[Change]
    state: dict[str, str]


def _text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, sort_keys=True, default=str)


def _masked(values: dict[str, Any], personal: tuple[str, ...], show_personal: bool) -> dict[str, Any]:
    if show_personal:
        return values
    return {name: HIDDEN if name in personal else value for name, value in values.items()}


def booking_versions(ledger: Ledger, booking_id: UUID, show_personal: bool) -> list[Version]:
    """Every version of the booking, oldest first; personal fields hidden unless `show_personal`."""
    events = events_with_hashes(ledger, booking_id)
    if not events:
        raise BookingHistoryNotFoundError("No booking with this id was found.")
    versions: list[Version] = []
    aggregate: Any = None
    before: dict[str, str] = {}
    for event, digest in events:
        entry = history_entry(event, digest)
        aggregate = event.mutate(aggregate)
        personal = tuple(getattr(type(aggregate), "PERSONAL_FIELDS", ()))
        fields = {name: value for name, value in vars(aggregate).items() if not name.startswith("_")}
        state = {
            name: _text(plain(value)) for name, value in _masked(fields, personal, show_personal).items()
        }
        changes = [
            Change(name, before.get(name, ""), state.get(name, ""))
            for name in sorted(set(before) | set(state))
            if before.get(name) != state.get(name)
        ]
        shown = HistoryEntry(
            entry.version,
            entry.type,
            entry.recorded_at,
            entry.meta,
            _masked(entry.data, personal, show_personal),
            entry.hash,
        )
        versions.append(Version(shown, changes, state))
        before = state
    return versions


def selected_version(versions: list[Version], version: int | None, as_of: datetime | None) -> Version:
    """The version asked for by number or by instant; the latest when neither is given."""
    if version is not None:
        found = [item for item in versions if item.entry.version == version]
        if not found:
            raise ConsoleInputError(f"The booking has versions 1 to {versions[-1].entry.version}.")
        return found[0]
    if as_of is not None:
        recorded = [item for item in versions if datetime.fromisoformat(item.entry.recorded_at) <= as_of]
        if not recorded:
            raise ConsoleInputError("The booking had not been recorded yet at that instant.")
        return recorded[-1]
    return versions[-1]
