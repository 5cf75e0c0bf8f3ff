"""Canonical serialization of events: sorted-key JSON, UTC instants in one format, ISO dates."""

from __future__ import annotations

from datetime import date, datetime

from eventsourcing.persistence import JSONTranscoder, Transcoding

from domain.context import format_instant


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
