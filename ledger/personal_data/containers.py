"""Where an event or a snapshot keeps its personal values, and which aggregate's fields they are."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from eventsourcing.domain import Snapshot
from eventsourcing.utils import get_topic, resolve_topic

from domain.base import LedgerAggregate
from ledger.personal_data.subjects import aggregate_class, personal_fields

SNAPSHOT_TOPIC = get_topic(Snapshot)


@lru_cache(maxsize=512)
def _owner_and_fields(topic: str) -> tuple[type[LedgerAggregate] | None, tuple[str, ...]]:
    cls = resolve_topic(topic)
    owner = aggregate_class(cls)
    return owner, personal_fields(cls)


@lru_cache(maxsize=128)
def _snapshot_owner(aggregate_topic: str) -> type[LedgerAggregate] | None:
    cls = resolve_topic(aggregate_topic) if aggregate_topic else None
    return cls if isinstance(cls, type) and issubclass(cls, LedgerAggregate) else None


def container_of(
    topic: str, state: dict[str, Any]
) -> tuple[type[LedgerAggregate] | None, tuple[str, ...], dict[str, Any]]:
    """The aggregate, its personal fields, and the dict that holds them: the event's state, or a snapshot's
    copy of the aggregate's state."""
    if topic == SNAPSHOT_TOPIC:
        owner = _snapshot_owner(str(state.get("topic", "")))
        nested = state.get("state")
        if owner is None or not isinstance(nested, dict):
            return None, (), state
        return owner, owner.PERSONAL_FIELDS, nested
    owner, fields = _owner_and_fields(topic)
    return owner, fields, state
