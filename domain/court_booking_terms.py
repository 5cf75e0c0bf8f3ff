"""What a partner asserts about a court booking: its court, time range and participants, checked."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from uuid import UUID

from domain.calendar import Hold
from domain.context import format_instant
from domain.errors import InvalidInputError
from domain.resource_day import MAX_BOOKING_LENGTH
from domain.user import normalized_email

MAX_PARTICIPANTS = 4
KEYED = "k1:"


class InvalidTimeRangeError(InvalidInputError):
    """Raised when a booking does not start before it ends, or lasts longer than the maximum."""


class MutuallyExclusiveFieldsError(InvalidInputError):
    """Raised when a participant has both or neither of `userId` and `email`."""


class DuplicateEntriesError(InvalidInputError):
    """Raised when two participants are the same user or the same (lower-cased) email."""


class InvalidParticipantsError(InvalidInputError):
    """Raised when a booking has fewer than one or more than four participants."""


@dataclass(frozen=True)
class Participant:
    """Exactly one of a linked user id or a normalized email."""

    user_id: UUID | None = None
    email: str | None = None

    def as_dict(self) -> dict[str, str]:
        return {"userId": str(self.user_id)} if self.user_id else {"email": str(self.email)}


def checked_participants(raw: Sequence[tuple[UUID | None, str | None]]) -> tuple[Participant, ...]:
    """Validate (userId, email) pairs: 1 to 4, exactly one field each, unique after lower-casing."""
    if not 1 <= len(raw) <= MAX_PARTICIPANTS:
        raise InvalidParticipantsError(f"A booking has 1 to {MAX_PARTICIPANTS} participants.")
    participants: list[Participant] = []
    for index, (user_id, email) in enumerate(raw):
        if (user_id is None) == (email is None):
            raise MutuallyExclusiveFieldsError(
                f"participants[{index}] must have exactly one of userId and email.", index=index
            )
        participants.append(Participant(user_id, normalized_email(email) if email is not None else None))
    if len(set(participants)) != len(participants):
        raise DuplicateEntriesError("participants must be unique.")
    return tuple(participants)


@dataclass(frozen=True)
class CourtBookingTerms:
    """What a partner asserts about a booking at `external_updated_at`."""

    court_id: UUID
    start: datetime
    end: datetime
    participants: tuple[Participant, ...]
    external_updated_at: datetime
    fingerprint_key: bytes | None = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        if any(moment.tzinfo is None for moment in (self.start, self.end, self.external_updated_at)):
            raise InvalidTimeRangeError("Datetimes must carry a UTC offset.")
        if self.start >= self.end:
            raise InvalidTimeRangeError("startDate must be before endDate.")
        if self.end - self.start > MAX_BOOKING_LENGTH:
            raise InvalidTimeRangeError(f"A booking lasts at most {MAX_BOOKING_LENGTH.days} days.")

    @property
    def participant_dicts(self) -> list[dict[str, str]]:
        return [p.as_dict() for p in self.participants]

    @property
    def hold(self) -> Hold:
        """The booking's hold on its court under these terms."""
        return Hold(self.court_id, self.start, self.end)

    @property
    def user_ids(self) -> list[UUID]:
        return [p.user_id for p in self.participants if p.user_id is not None]

    def fingerprint(self) -> str:
        """A digest of the payload apart from `externalUpdatedAt`, for the idempotency check: keyed (HMAC)
        where the ledger has a fingerprint key, so that a stored one cannot confirm a guessed email."""
        payload = json.dumps(
            {
                "courtId": str(self.court_id),
                "startDate": format_instant(self.start),
                "endDate": format_instant(self.end),
                "participants": self.participant_dicts,
            },
            sort_keys=True,
        ).encode()
        if self.fingerprint_key is None:
            return hashlib.sha256(payload).hexdigest()
        return KEYED + hmac.new(self.fingerprint_key, payload, hashlib.sha256).hexdigest()

    def has_fingerprint(self, stored: str) -> bool:
        """Whether a stored fingerprint is these terms': a keyed one, or one stored before fingerprints were
        keyed (a plain SHA-256), which bookings recorded then keep."""
        if stored.startswith(KEYED) or self.fingerprint_key is None:
            return hmac.compare_digest(stored, self.fingerprint())
        return hmac.compare_digest(stored, replace(self, fingerprint_key=None).fingerprint())
