"""Given/then helpers for the domain unit tests: event metadata and pending-event assertions."""

from __future__ import annotations

from typing import Any, TypeVar, cast
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.domain import Aggregate

E = TypeVar("E")
A = TypeVar("A", bound=Aggregate)

RECORDED_AT = "2030-01-01T00:00:00.000000Z"


def meta(recorded_at: str = RECORDED_AT, request_id: str = "r") -> dict[str, str]:
    """Fresh event metadata as a command's context would build it."""
    return {"actor": "c", "actorKind": "client", "recordedAt": recorded_at, "requestId": request_id}


def given(aggregate: A) -> A:
    """The aggregate with its pending events collected, as if they had been saved."""
    aggregate.collect_events()
    return aggregate


def only_event(aggregate: Aggregate, kind: type[E]) -> E:
    """The one pending event of the aggregate, which must be exactly of `kind`."""
    events = aggregate.collect_events()
    assert [type(event) for event in events] == [kind]
    return cast(E, events[0])


def no_events(aggregate: Aggregate) -> None:
    """Assert that the aggregate has no pending events."""
    assert list(aggregate.collect_events()) == []


def stored_types(application: Application[UUID], aggregate_id: UUID) -> list[Any]:
    """The types of the aggregate's stored events, oldest first."""
    return [type(event) for event in application.events.get(aggregate_id)]
