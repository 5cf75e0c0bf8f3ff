"""A partner-owned court booking, upserted by external id with stale-write protection."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any
from uuid import UUID

from domain.base import LedgerAggregate
from domain.calendar import Hold
from domain.context import format_instant
from domain.court_booking_terms import CourtBookingTerms
from domain.errors import AccessDeniedError, ConflictError, NotFoundError
from domain.ids import court_booking_id


class CourtBookingNotFoundError(NotFoundError):
    """Raised when no court booking has the external id under the external service."""


class OrganizationAccessDeniedError(AccessDeniedError):
    """Raised when the court's organization is not granted to the external service."""


class UserAccessDeniedError(AccessDeniedError):
    """Raised when a participant `userId` is not linked to the external service."""


class StaleWriteError(ConflictError):
    """Raised when a write's `externalUpdatedAt` is older than the stored one."""


class VersionConflictError(ConflictError):
    """Raised when a write has the stored `externalUpdatedAt` but a different payload."""


@dataclass(frozen=True)
class RecordedTerms:
    """What registering or revising a court booking records: the terms, their organization and fingerprint."""

    organization_id: UUID
    court_id: UUID
    start: datetime
    end: datetime
    participants: list[dict[str, str]]
    external_updated_at: datetime
    fingerprint: str

    @classmethod
    def of(cls, organization_id: UUID, terms: CourtBookingTerms) -> RecordedTerms:
        return cls(
            organization_id,
            terms.court_id,
            terms.start,
            terms.end,
            terms.participant_dicts,
            terms.external_updated_at,
            terms.fingerprint(),
        )

    def event_fields(self) -> dict[str, Any]:
        """The fields as an event's attributes; the events declare them by deriving from this class."""
        return {field.name: getattr(self, field.name) for field in fields(RecordedTerms)}


class CourtBooking(LedgerAggregate):
    """A court booking owned by a partner service, keyed by the partner's own booking id."""

    PERSONAL_FIELDS = ("participants",)

    class Registered(LedgerAggregate.Created, RecordedTerms):
        external_service_id: UUID
        external_court_booking_id: str

        def apply(self, aggregate: CourtBooking) -> None:
            aggregate._apply_registration(self)

    class Revised(LedgerAggregate.Event, RecordedTerms):
        def apply(self, aggregate: CourtBooking) -> None:
            aggregate._apply_terms(self, self.recorded_at)

    class Reactivated(Revised):
        pass

    class Canceled(LedgerAggregate.Event):
        external_updated_at: datetime

        def apply(self, aggregate: CourtBooking) -> None:
            aggregate.status = "canceled"
            aggregate.external_updated_at = self.external_updated_at
            aggregate.updated_at = self.recorded_at

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
        booking_id: UUID | None = None,
    ) -> CourtBooking:
        """A new booking; `booking_id`, when the caller has it, spares computing it again."""
        booking_id = booking_id or court_booking_id(external_service_id, external_court_booking_id)
        return cls._create(
            cls.Registered,
            id=booking_id,
            external_service_id=external_service_id,
            external_court_booking_id=external_court_booking_id,
            meta=meta,
            **RecordedTerms.of(organization_id, terms).event_fields(),
        )

    @property
    def is_active(self) -> bool:
        return self.status == "active"

    @property
    def hold(self) -> Hold | None:
        """The booking's hold on its court while it is active."""
        return Hold(self.court_id, self.start, self.end) if self.is_active else None

    def revise(self, organization_id: UUID, terms: CourtBookingTerms, meta: dict[str, str]) -> bool:
        """Record the terms, reactivating a cancelled booking; False for an idempotent replay (no event).

        Raises StaleWriteError or VersionConflictError when the terms may not be applied.
        """
        recorded = RecordedTerms.of(organization_id, terms)
        if not self._would_revise(recorded, terms):
            return False
        change = self.Revised if self.is_active else self.Reactivated
        self.trigger_event(change, meta=meta, **recorded.event_fields())
        return True

    def would_revise(self, organization_id: UUID, terms: CourtBookingTerms) -> bool:
        """Whether `revise` would record these terms (False: an idempotent replay), changing nothing.

        Raises StaleWriteError or VersionConflictError as `revise` would.
        """
        return self._would_revise(RecordedTerms.of(organization_id, terms), terms)

    def _would_revise(self, recorded: RecordedTerms, terms: CourtBookingTerms) -> bool:
        self._check_not_stale(recorded.external_updated_at)
        if recorded.external_updated_at == self.external_updated_at:
            if self.is_active and terms.has_fingerprint(self.fingerprint):
                return False
            raise VersionConflictError("externalUpdatedAt equals the stored one but the payload differs.")
        return True

    def cancel(self, external_updated_at: datetime, meta: dict[str, str]) -> bool:
        """Cancel the booking at this time; False for an idempotent replay, which records nothing."""
        self._check_not_stale(external_updated_at)
        if external_updated_at == self.external_updated_at:
            if not self.is_active:
                return False
            raise VersionConflictError("externalUpdatedAt equals the stored one but the booking is active.")
        self.trigger_event(self.Canceled, external_updated_at=external_updated_at, meta=meta)
        return True

    def _check_not_stale(self, external_updated_at: datetime) -> None:
        if external_updated_at < self.external_updated_at:
            raise StaleWriteError(
                f"externalUpdatedAt {format_instant(external_updated_at)} is older than the stored "
                f"{format_instant(self.external_updated_at)}."
            )

    def _apply_registration(self, registered: Registered) -> None:
        self.external_service_id = registered.external_service_id
        self.external_court_booking_id = registered.external_court_booking_id
        self.created_at = registered.recorded_at
        self._apply_terms(registered, registered.recorded_at)

    def _apply_terms(self, terms: RecordedTerms, at: datetime) -> None:
        """The state that registering, revising and reactivating record: active on these terms."""
        self.organization_id = terms.organization_id
        self.court_id = terms.court_id
        self.start = terms.start
        self.end = terms.end
        self.participants = list(terms.participants)
        self.external_updated_at = terms.external_updated_at
        self.fingerprint = terms.fingerprint
        self.status = "active"
        self.updated_at = at
