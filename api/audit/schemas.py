"""Response bodies of the audit surface: an aggregate's history."""

from __future__ import annotations

from uuid import UUID

from pydantic import BaseModel, Field

from replay.history import HistoryEntry


class HistoryEventOut(BaseModel):
    version: int
    type: str
    recordedAt: str
    meta: dict[str, str]
    data: dict[str, object]
    hash: str | None = Field(
        description="SHA-256 of the previous event's hash and this event's stored bytes, hex "
        "(`ledger audit verify` checks it); null for an event not yet hashed."
    )


class HistoryOut(BaseModel):
    aggregateId: UUID
    events: list[HistoryEventOut]

    @classmethod
    def of(cls, aggregate_id: UUID, entries: list[HistoryEntry]) -> HistoryOut:
        return cls(
            aggregateId=aggregate_id,
            events=[
                HistoryEventOut(
                    version=e.version,
                    type=e.type,
                    recordedAt=e.recorded_at,
                    meta=e.meta,
                    data=e.data,
                    hash=e.hash,
                )
                for e in entries
            ],
        )
