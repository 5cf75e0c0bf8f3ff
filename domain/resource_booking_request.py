"""The request of a new resource booking: its checked values and its computed price."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from uuid import UUID


@dataclass(frozen=True)
class BookingRequest:
    """What a new resource booking records, once its rules were checked and its price computed."""

    booking_id: UUID
    number: int
    reference_code: str
    client_id: UUID
    user_id: UUID
    resource_id: UUID
    venue_id: UUID
    organization_id: UUID
    start: datetime
    end: datetime
    participant_count: int
    notes: str
    total_price: Decimal
    currency: str
