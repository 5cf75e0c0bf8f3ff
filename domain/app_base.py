"""The base of the application service: typed loads, atomic saves with bounded retry, and the result type."""

from __future__ import annotations

import copy
import random
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Generic, TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import EventStore, IntegrityError, JSONTranscoder, Transcoder
from eventsourcing.utils import EnvType

from domain.caches import BoundedCache
from domain.context import format_instant
from domain.errors import ConcurrencyExhaustedError, NotFoundError
from domain.event_saving import PreparingEventStore, save_aggregates
from domain.numbers import NumberAllocator, NumberingUnavailableError, NumbersFactory
from domain.transcoding import CanonicalJSONTranscoder, DateAsIso, UtcInstantAsIso

A = TypeVar("A", bound=Aggregate)
R = TypeVar("R")
V = TypeVar("V")


@dataclass(frozen=True)
class Saved(Generic[V]):
    """A command's result: its value, whether it created it, and the ledger position of its last event."""

    value: V
    created: bool = False
    position: int | None = None


@dataclass
class RetryCounts:
    """How often commands ran again after losing a version race, and how often they gave up; for metrics."""

    retried: int = 0
    exhausted: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def count(self, *, exhausted: bool = False) -> None:
        with self._lock:
            if exhausted:
                self.exhausted += 1
            else:
                self.retried += 1


def recorded_at(event: Any) -> datetime:
    """When the ledger recorded an event: its `recordedAt` metadata, else the library's timestamp."""
    recorded = getattr(event, "meta", {}).get("recordedAt")
    moment: datetime = datetime.fromisoformat(recorded) if recorded else event.timestamp
    return moment


class LedgerBase(Application[UUID]):
    """Event-sourced application over PostgreSQL; subclasses add the commands."""

    name = "Ledger"
    command_attempts = 10

    def __init__(self, env: EnvType | None = None, numbers: NumbersFactory | None = None) -> None:
        super().__init__(env=env)
        # A mapper configured from outside the domain (MAPPER_TOPIC) may need the application it serves.
        bind = getattr(self.mapper, "bind", None)
        if callable(bind):
            bind(self)
        self.retries = RetryCounts()
        self.numbers: NumberAllocator | None = numbers(self.recorder) if numbers is not None else None

    def next_number(self, kind: str) -> int:
        """A number of `kind` never handed out before, from the allocator the ledger was built with."""
        if self.numbers is None:
            raise NumberingUnavailableError("This ledger was built without a number allocator.")
        return self.numbers.next_number(kind)

    def construct_event_store(self) -> EventStore[UUID]:
        return PreparingEventStore(self.mapper, self.recorder)

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

    def find(self, aggregate_id: UUID, cls: type[A], as_of: datetime | None = None) -> A | None:
        """The aggregate with this id if it exists and is a `cls`, else None; with `as_of`, as it was then."""
        if as_of is not None:
            return self.find_as_of(aggregate_id, cls, as_of)
        try:
            aggregate: Any = self.repository.get(aggregate_id)
        except AggregateNotFoundError:
            return None
        return aggregate if isinstance(aggregate, cls) else None

    def find_as_of(self, aggregate_id: UUID, cls: type[A], instant: datetime) -> A | None:
        """The aggregate as the events recorded up to `instant` made it: the longest start of its stream
        whose events were all recorded (`recordedAt`, the ledger's clock) at or before it. None when it did
        not exist yet then, or is not a `cls`.

        Events are decoded lazily, so a read stops at the first event recorded later.
        """
        aggregate: Any = None
        event: Any
        for event in self.events.get(aggregate_id):
            if recorded_at(event) > instant:
                break
            aggregate = event.mutate(aggregate)
        return aggregate if isinstance(aggregate, cls) else None

    def find_all(
        self, aggregate_ids: list[UUID], cls: type[A], cache: BoundedCache[Any] | None = None
    ) -> dict[UUID, A]:
        """The aggregates with these ids that exist and are a `cls`, by id: their events read in one query
        where the recorder offers it (PostgreSQL does), else one read each.

        With a `cache`, an aggregate read before is brought up to date from the events after its cached
        version only, still in the one query; a stream only grows, so that is the aggregate as it is now. The
        batch replays events without snapshots, so it serves only classes that are never snapshotted.
        """
        batched = getattr(self.recorder, "select_events_of", None)
        if not callable(batched) or cls in (self.snapshotting_intervals or {}):
            found = {each: self.find(each, cls) for each in dict.fromkeys(aggregate_ids)}
            return {each: aggregate for each, aggregate in found.items() if aggregate is not None}
        known, fresh = self._caught_up(batched, list(dict.fromkeys(aggregate_ids)), cache)
        if cache is not None:
            for each, aggregate in fresh.items():
                cache.put(each, aggregate)
        current = {**known, **fresh}
        return {each: aggregate for each, aggregate in current.items() if isinstance(aggregate, cls)}

    def find_together(
        self, aggregate_ids: list[UUID], cache: BoundedCache[Any] | None = None
    ) -> dict[UUID, Any]:
        """The aggregates with these ids that exist, of any class, by id: replayed from all their events,
        read in one query where the recorder offers it (PostgreSQL does), snapshots not used.

        With a `cache`, an aggregate found in it is brought up to date from its later events only, still in
        the one query, so what is returned is the aggregate as it is now; each is a copy, for the caller to
        change, so the cached one never changes. A save still fails on a version a concurrent writer took.
        """
        batched = getattr(self.recorder, "select_events_of", None)
        if not callable(batched):
            found = {each: self.find(each, Aggregate) for each in dict.fromkeys(aggregate_ids)}
            return {each: aggregate for each, aggregate in found.items() if aggregate is not None}
        known, fresh = self._caught_up(batched, list(dict.fromkeys(aggregate_ids)), cache)
        unchanged = {each: copy.deepcopy(aggregate) for each, aggregate in known.items() if each not in fresh}
        return {**unchanged, **fresh}

    def _caught_up(
        self, batched: Callable[..., Any], ids: list[UUID], cache: BoundedCache[Any] | None
    ) -> tuple[dict[UUID, Any], dict[UUID, Any]]:
        """The aggregates of `ids` found in `cache`, and, replayed in one query, every stream with events past
        its cached version (or with any, if not cached)."""
        known = {
            each: cached for each in ids if cache is not None and (cached := cache.get(each)) is not None
        }
        # A copy takes the new events, so that whoever holds the cached one never sees it change.
        fresh = self._replay(
            batched(ids, {each: aggregate.version for each, aggregate in known.items()}),
            lambda origin: copy.deepcopy(known[origin]) if origin in known else None,
        )
        return known, fresh

    def _replay(self, stored_events: Iterable[Any], start: Callable[[UUID], Any]) -> dict[UUID, Any]:
        """Each stream's aggregate after its events, begun from what `start` gives for its id."""
        stored_events = list(stored_events)
        # A mapper that must look something up to decode (the personal data keys) does it once for all.
        prefetch = getattr(self.mapper, "prefetch", None)
        if callable(prefetch):
            prefetch(stored_events)
        found: dict[UUID, Any] = {}
        for stored in stored_events:
            domain_event: Any = self.mapper.to_domain_event(stored)
            origin = domain_event.originator_id
            if origin not in found:
                found[origin] = start(origin)
            found[origin] = domain_event.mutate(found[origin])
        return found

    def load(
        self,
        aggregate_id: UUID,
        cls: type[A],
        error: type[NotFoundError],
        what: str,
        as_of: datetime | None = None,
    ) -> A:
        aggregate = self.find(aggregate_id, cls, as_of)
        if aggregate is None:
            when = "" if as_of is None else f" at {format_instant(as_of)}"
            raise error(f"{what} {aggregate_id} was not found{when}.")
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

    def save_many(self, *aggregates: Any) -> int | None:
        """`save_all` for the hundreds of aggregates of a batch, collecting their events faster."""
        recordings = save_aggregates(self, aggregates)
        return max((r.notification.id for r in recordings), default=None)

    def with_retry(self, attempt: Callable[[], R]) -> R:
        """Run a whole command again when a concurrent writer took one of its aggregate versions."""
        for attempt_number in range(self.command_attempts):
            if attempt_number:
                self.retries.count()
            try:
                return attempt()
            except IntegrityError:
                backoff = min(0.002 * 2**attempt_number, 0.05)
                time.sleep(random.uniform(0, backoff))
        self.retries.count(exhausted=True)
        raise ConcurrencyExhaustedError("The resource is being changed concurrently; retry the request.")
