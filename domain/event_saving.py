"""How the ledger stores a save's events: the library's way, with the mapper seeing them together first."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from eventsourcing.application import Application, ProcessingEvent
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import EventStore, Recording


class PreparingEventStore(EventStore[UUID]):
    """The library's event store, letting a mapper that offers `prepare` see a save's events together
    before mapping them one by one (the personal data mapper finds all their people's keys at once)."""

    def put(self, domain_events: Sequence[Any], **kwargs: Any) -> list[Recording[UUID]]:
        prepare = getattr(self.mapper, "prepare", None)
        if callable(prepare):
            prepare(domain_events)
        return super().put(domain_events, **kwargs)


def save_aggregates(application: Application[UUID], aggregates: Sequence[Any]) -> list[Recording[UUID]]:
    """The library's `save` of these aggregates in one transaction, its recordings.

    Their events are collected without the library's runtime protocol checks (two per aggregate), which cost a
    batch upsert more than mapping its events; anything that is not an aggregate goes the library's way.
    """
    if not all(isinstance(aggregate, Aggregate) for aggregate in aggregates):
        return application.save(*aggregates)
    processing: ProcessingEvent[UUID] = ProcessingEvent()
    for aggregate in aggregates:
        processing.events.extend(aggregate.collect_events())
        processing.aggregates[aggregate.id] = aggregate
    recordings = application._record(processing)
    application._take_snapshots(processing)
    application._notify(recordings)
    application.notify(processing.events)
    return recordings
