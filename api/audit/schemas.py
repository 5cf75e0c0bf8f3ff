"""Response bodies of the audit surface: an aggregate's history."""

from __future__ import annotations

from uuid import UUID

from pydantic import BaseModel

from replay.history import HistoryEntry


class HistoryEventOut(BaseModel):
    version: int
    type: str
    recordedAt: str
    meta: dict[str, str]
    data: dict[str, object]


class HistoryOut(BaseModel):
    aggregateId: UUID
    events: list[HistoryEventOut]

    @classmethod
    def of(cls, aggregate_id: UUID, entries: list[HistoryEntry]) -> HistoryOut:
        return cls(
            aggregateId=aggregate_id,
            events=[
                HistoryEventOut(
                    version=e.version, type=e.type, recordedAt=e.recorded_at, meta=e.meta, data=e.data
                )
                for e in entries
            ],
        )
