"""Integer numbers of venues, resources and bookings: the allocator port, the index by number, and refs."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Protocol
from uuid import UUID

from eventsourcing.domain import event
from eventsourcing.persistence import ApplicationRecorder

from domain.base import LedgerAggregate
from domain.errors import ConflictError
from domain.ids import number_index_id

NUMBER_KINDS = ("venue", "resource", "booking")

# Up to 18 digits is a number (it fits PostgreSQL's bigint); 32 hex digits without dashes are a UUID.
_NUMBER = re.compile(r"[0-9]{1,18}")


class NumberAllocator(Protocol):
    """Hands out integers per kind, each at most once; numbers never handed out (gaps) are allowed."""

    def next_number(self, kind: str) -> int: ...


# Builds the allocator of an application from its event recorder, so it can share the recorder's connections.
NumbersFactory = Callable[[ApplicationRecorder], NumberAllocator]


class NumberingUnavailableError(RuntimeError):
    """Raised when a command needs a new number and the ledger was built without a number allocator."""


class NumberAlreadyAssignedError(ConflictError):
    """Raised when a number is assigned to a venue, resource or booking that already has one."""


def parse_ref(ref: str | int | UUID) -> int | UUID | None:
    """A reference as the integer number or the UUID it names; None when it is neither."""
    if isinstance(ref, UUID):
        return ref
    if isinstance(ref, bool):
        return None
    if isinstance(ref, int):
        return ref if ref > 0 else None
    text = ref.strip()
    if _NUMBER.fullmatch(text):
        number = int(text)
        return number if number > 0 else None
    try:
        return UUID(text)
    except ValueError:
        return None


class NumberIndex(LedgerAggregate):
    """Which venue, resource or booking holds a number.

    Its id is derived from the kind and the number and it is saved with the entity it names, so two entities
    of one kind can never both be saved with the same number: the second save loses on the index's id.
    """

    class Claimed(LedgerAggregate.Created):
        kind: str
        number: int
        entity_id: UUID

    @staticmethod
    def create_id(kind: str, number: int, **_: object) -> UUID:
        return number_index_id(kind, number)

    @classmethod
    def claim(cls, kind: str, number: int, entity_id: UUID, meta: dict[str, str]) -> NumberIndex:
        if kind not in NUMBER_KINDS:
            raise ValueError(f"Numbers are kept for {', '.join(NUMBER_KINDS)}, not {kind!r}.")
        return cls(kind=kind, number=number, entity_id=entity_id, meta=meta)

    @event(Claimed)
    def __init__(self, kind: str, number: int, entity_id: UUID, meta: dict[str, str]) -> None:
        self.kind = kind
        self.number = number
        self.entity_id = entity_id
