"""A partner-owned court booking, upserted by external id with stale-write protection."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from eventsourcing.domain import event

from domain.base import LedgerAggregate
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
