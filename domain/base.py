"""The aggregate base: every event carries metadata (actor, recordedAt, trace and request ids)."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from eventsourcing.domain import Aggregate


class LedgerAggregate(Aggregate):
    """Base of the ledger's aggregates; their events record who, when and under which request."""

    class Event(Aggregate.Event):
        meta: dict[str, str]

        @property
        def recorded_at(self) -> datetime:
            return datetime.fromisoformat(self.meta["recordedAt"])

    class Created(Event, Aggregate.Created):
        pass

    # Fields of an event that hold personal data; they become erasable by crypto-shredding. A class
    # variable, so that an aggregate without its own __init__ does not get it as a constructor field.
    PERSONAL_FIELDS: ClassVar[tuple[str, ...]] = ()
