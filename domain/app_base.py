"""The application service's foundation: canonical serialization, typed loads, atomic saves with retry."""

from __future__ import annotations

import random
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Generic, TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import IntegrityError, JSONTranscoder, Transcoder, Transcoding

from domain.context import format_instant
from domain.errors import ConcurrencyExhaustedError, NotFoundError

A = TypeVar("A", bound=Aggregate)
R = TypeVar("R")
V = TypeVar("V")


class UtcInstantAsIso(Transcoding):
    """Datetimes as UTC instants in one fixed format, so equal instants serialize identically."""

    type = datetime
    name = "datetime_iso"

    def encode(self, obj: datetime) -> str:
        return format_instant(obj)

    def decode(self, data: str) -> datetime:
        return datetime.fromisoformat(data)


class DateAsIso(Transcoding):
    """Calendar dates as `YYYY-MM-DD`."""

    type = date
    name = "date_iso"

    def encode(self, obj: date) -> str:
        return obj.isoformat()

    def decode(self, data: str) -> date:
        return date.fromisoformat(data)


class CanonicalJSONTranscoder(JSONTranscoder):
    """JSON with sorted keys and no whitespace, so stored events can later be hash-chained."""

    def __init__(self) -> None:
        super().__init__()
        self.encoder.sort_keys = True


@dataclass(frozen=True)
class Saved(Generic[V]):
    """A command's result: its value, whether it created it, and the ledger position of its last event."""

    value: V
    created: bool = False
    position: int | None = None


class BoundedCache(Generic[V]):
    """A thread-safe map that forgets its least recently used entries beyond `size`."""

    def __init__(self, size: int = 10_000) -> None:
        self.size = size
        self._entries: OrderedDict[Any, V] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Any) -> V | None:
        with self._lock:
            value = self._entries.get(key)
            if value is not None:
                self._entries.move_to_end(key)
            return value

    def put(self, key: Any, value: V) -> None:
        with self._lock:
            self._entries[key] = value
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)


class LedgerBase(Application[UUID]):
    """Event-sourced application over PostgreSQL; subclasses add the commands."""

    name = "Ledger"
    command_attempts = 10

    def construct_transcoder(self) -> Transcoder:
        transcoder = CanonicalJSONTranscoder()
        self.register_transcodings(transcoder)
        return transcoder

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        transcoder.register(UtcInstantAsIso())
        transcoder.register(DateAsIso())

    def last_topic(self, aggregate_id: UUID) -> str | None:
        """The topic of the aggregate's latest event, read without decoding any event."""
        events = self.recorder.select_events(aggregate_id, desc=True, limit=1)
        return events[0].topic if events else None

    def find(self, aggregate_id: UUID, cls: type[A]) -> A | None:
        """The aggregate with this id if it exists and is a `cls`, else None."""
        try:
            aggregate: Any = self.repository.get(aggregate_id)
        except AggregateNotFoundError:
            return None
        return aggregate if isinstance(aggregate, cls) else None

    def load(self, aggregate_id: UUID, cls: type[A], error: type[NotFoundError], what: str) -> A:
        aggregate = self.find(aggregate_id, cls)
        if aggregate is None:
            raise error(f"{what} {aggregate_id} was not found.")
        return aggregate

    def load_version(self, aggregate_id: UUID, cls: type[A], version: int) -> A | None:
        try:
            aggregate: Any = self.repository.get(aggregate_id, version=version)
        except AggregateNotFoundError:
            return None
        if not isinstance(aggregate, cls) or aggregate.version != version:
            return None
        return aggregate

    def save_all(self, *aggregates: Any) -> int | None:
        """Save every aggregate in one transaction; return the position of the last event written."""
        recordings = self.save(*aggregates)
        return max((r.notification.id for r in recordings), default=None)

    def with_retry(self, attempt: Callable[[], R]) -> R:
        """Run a whole command again when a concurrent writer took one of its aggregate versions."""
        for attempt_number in range(self.command_attempts):
            try:
                return attempt()
            except IntegrityError:
                backoff = min(0.002 * 2**attempt_number, 0.05)
                time.sleep(random.uniform(0, backoff))
        raise ConcurrencyExhaustedError("The resource is being changed concurrently; retry the request.")
