"""A partner-owned court booking, upserted by external id with stale-write protection."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from eventsourcing.domain import event

from domain.base import LedgerAggregate
from domain.context import format_instant
from domain.errors import AccessDeniedError, ConflictError, InvalidInputError, NotFoundError
from domain.ids import court_booking_id
from domain.resource_day import MAX_BOOKING_LENGTH
from domain.user import normalized_email

MAX_PARTICIPANTS = 4


class CourtBookingNotFoundError(NotFoundError):
    """Raised when no court booking has the external id under the external service."""


class InvalidTimeRangeError(InvalidInputError):
    """Raised when a booking does not start before it ends, or lasts longer than the maximum."""


class MutuallyExclusiveFieldsError(InvalidInputError):
    """Raised when a participant has both or neither of `userId` and `email`."""


class DuplicateEntriesError(InvalidInputError):
    """Raised when two participants are the same user or the same (lower-cased) email."""


class InvalidParticipantsError(InvalidInputError):
    """Raised when a booking has fewer than one or more than four participants."""


class OrganizationAccessDeniedError(AccessDeniedError):
    """Raised when the court's organization is not granted to the external service."""


class UserAccessDeniedError(AccessDeniedError):
    """Raised when a participant `userId` is not linked to the external service."""


class StaleWriteError(ConflictError):
    """Raised when a write's `externalUpdatedAt` is older than the stored one."""


class VersionConflictError(ConflictError):
    """Raised when a write has the stored `externalUpdatedAt` but a different payload."""


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
    def user_ids(self) -> list[UUID]:
        return [p.user_id for p in self.participants if p.user_id is not None]

    def fingerprint(self) -> str:
        """A digest of the payload apart from `externalUpdatedAt`, for the idempotency check."""
        payload = {
            "courtId": str(self.court_id),
            "startDate": format_instant(self.start),
            "endDate": format_instant(self.end),
            "participants": self.participant_dicts,
        }
        return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


class CourtBooking(LedgerAggregate):
    """A court booking owned by a partner service, keyed by the partner's own booking id."""

    PERSONAL_FIELDS = ("participants",)

    class Registered(LedgerAggregate.Created):
        external_service_id: UUID
        external_court_booking_id: str
        organization_id: UUID
        court_id: UUID
        start: datetime
        end: datetime
        participants: list[dict[str, str]]
        external_updated_at: datetime
        fingerprint: str

    class Revised(LedgerAggregate.Event):
        organization_id: UUID
        court_id: UUID
        start: datetime
        end: datetime
        participants: list[dict[str, str]]
        external_updated_at: datetime
        fingerprint: str

    class Reactivated(Revised):
        pass

    class Canceled(LedgerAggregate.Event):
        external_updated_at: datetime

    @staticmethod
    def create_id(external_service_id: UUID, external_court_booking_id: str, **_: object) -> UUID:
        return court_booking_id(external_service_id, external_court_booking_id)

    @classmethod
    def register(
        cls,
        external_service_id: UUID,
        external_court_booking_id: str,
        organization_id: UUID,
        terms: CourtBookingTerms,
        meta: dict[str, str],
    ) -> CourtBooking:
        return cls(
            external_service_id=external_service_id,
            external_court_booking_id=external_court_booking_id,
            organization_id=organization_id,
            court_id=terms.court_id,
            start=terms.start,
            end=terms.end,
            participants=terms.participant_dicts,
            external_updated_at=terms.external_updated_at,
            fingerprint=terms.fingerprint(),
            meta=meta,
        )

    @event(Registered)
    def __init__(
        self,
        external_service_id: UUID,
        external_court_booking_id: str,
        organization_id: UUID,
        court_id: UUID,
        start: datetime,
        end: datetime,
        participants: list[dict[str, str]],
        external_updated_at: datetime,
        fingerprint: str,
        meta: dict[str, str],
    ) -> None:
        self.external_service_id = external_service_id
        self.external_court_booking_id = external_court_booking_id
        self.status = "active"
        self.created_at = datetime.fromisoformat(meta["recordedAt"])
        self._apply_terms(
            organization_id, court_id, start, end, participants, external_updated_at, fingerprint
        )
        self.updated_at = self.created_at

    @property
    def is_active(self) -> bool:
        return self.status == "active"

    def needs_revision(self, terms: CourtBookingTerms) -> bool:
        """Whether the terms change the booking; False for an idempotent replay.

        Raises StaleWriteError or VersionConflictError when the terms may not be applied.
        """
        self._check_not_stale(terms.external_updated_at)
        if terms.external_updated_at == self.external_updated_at:
            if self.is_active and terms.fingerprint() == self.fingerprint:
                return False
            raise VersionConflictError("externalUpdatedAt equals the stored one but the payload differs.")
        return True

    def revise(self, organization_id: UUID, terms: CourtBookingTerms, meta: dict[str, str]) -> None:
        if not self.needs_revision(terms):
            return
        change = self._reactivate if not self.is_active else self._revise
        change(
            organization_id=organization_id,
            court_id=terms.court_id,
            start=terms.start,
            end=terms.end,
            participants=terms.participant_dicts,
            external_updated_at=terms.external_updated_at,
            fingerprint=terms.fingerprint(),
            meta=meta,
        )

    def needs_cancel(self, external_updated_at: datetime) -> bool:
        """Whether a cancel at this time changes the booking; False for an idempotent replay."""
        self._check_not_stale(external_updated_at)
        if external_updated_at == self.external_updated_at:
            if not self.is_active:
                return False
            raise VersionConflictError("externalUpdatedAt equals the stored one but the booking is active.")
        return True

    def cancel(self, external_updated_at: datetime, meta: dict[str, str]) -> None:
        if self.needs_cancel(external_updated_at):
            self._cancel(external_updated_at=external_updated_at, meta=meta)

    def _check_not_stale(self, external_updated_at: datetime) -> None:
        if external_updated_at < self.external_updated_at:
            raise StaleWriteError(
                f"externalUpdatedAt {format_instant(external_updated_at)} is older than the stored "
                f"{format_instant(self.external_updated_at)}."
            )

    @event(Revised)
    def _revise(
        self,
        organization_id: UUID,
        court_id: UUID,
        start: datetime,
        end: datetime,
        participants: list[dict[str, str]],
        external_updated_at: datetime,
        fingerprint: str,
        meta: dict[str, str],
    ) -> None:
        self._apply_terms(
            organization_id, court_id, start, end, participants, external_updated_at, fingerprint
        )
        self.updated_at = datetime.fromisoformat(meta["recordedAt"])

    @event(Reactivated)
    def _reactivate(
        self,
        organization_id: UUID,
        court_id: UUID,
        start: datetime,
        end: datetime,
        participants: list[dict[str, str]],
        external_updated_at: datetime,
        fingerprint: str,
        meta: dict[str, str],
    ) -> None:
        self._apply_terms(
            organization_id, court_id, start, end, participants, external_updated_at, fingerprint
        )
        self.status = "active"
        self.updated_at = datetime.fromisoformat(meta["recordedAt"])

    @event(Canceled)
    def _cancel(self, external_updated_at: datetime, meta: dict[str, str]) -> None:
        self.status = "canceled"
        self.external_updated_at = external_updated_at
        self.updated_at = datetime.fromisoformat(meta["recordedAt"])

    def _apply_terms(
        self,
        organization_id: UUID,
        court_id: UUID,
        start: datetime,
        end: datetime,
        participants: list[dict[str, str]],
        external_updated_at: datetime,
        fingerprint: str,
    ) -> None:
        self.organization_id = organization_id
        self.court_id = court_id
        self.start = start
        self.end = end
        self.participants = list(participants)
        self.external_updated_at = external_updated_at
        self.fingerprint = fingerprint
