"""A client's own ids for venues: mappings an operator approves before the venue's resources are booked."""

from __future__ import annotations

from uuid import UUID

from eventsourcing.domain import event

from domain.base import LedgerAggregate
from domain.client_mappings import (
    ExternalDataMapping,
    ExternalIdConflictError,
    checked_external_id,
    external_data_json,
    registered_at,
)
from domain.errors import AccessDeniedError, InvalidInputError, NotFoundError
from domain.ids import client_mapping_id

PENDING = "pending"
APPROVED = "approved"
REJECTED = "rejected"
APPROVAL_STATUSES = (PENDING, APPROVED, REJECTED)


class VenueMappingNotFoundError(NotFoundError):
    """Raised when a venue mapping named by the client's external id or by the mapping's id does not exist."""


class InvalidApprovalStatusError(InvalidInputError):
    """Raised when an approval status is not one of pending, approved and rejected."""


class VenueNotBookableError(AccessDeniedError):
    """Raised when a client books a resource whose venue it has no approved mapping of."""


class VenueNotMappedError(VenueNotBookableError):
    """Raised when a client books a resource of a venue that it has not mapped."""


class VenueMappingNotApprovedError(VenueNotBookableError):
    """Raised when a client books a resource of a venue whose mapping is pending or rejected."""


def checked_approval_status(status: str) -> str:
    if status not in APPROVAL_STATUSES:
        raise InvalidApprovalStatusError(f"approval_status must be one of {', '.join(APPROVAL_STATUSES)}.")
    return status


class ClientVenueMapping(ExternalDataMapping, LedgerAggregate):
    """A client's external id for a venue of an organization granted to it, pending until an operator decides.

    An operator may approve or reject it, and change that decision later; each change is an event. Registering
    the external id again never changes the decision: a rejected mapping stays rejected until approved.
    """

    class Registered(LedgerAggregate.Created):
        client_id: UUID
        external_id: str
        venue_id: UUID
        external_data_json: str

    class ExternalDataReplaced(LedgerAggregate.Event):
        external_data_json: str

    class Approved(LedgerAggregate.Event):
        pass

    class Rejected(LedgerAggregate.Event):
        pass

    @staticmethod
    def create_id(client_id: UUID, external_id: str, **_: object) -> UUID:
        return client_mapping_id("venue", client_id, external_id)

    @classmethod
    def register(
        cls, client_id: UUID, external_id: str, venue_id: UUID, external_data: object, meta: dict[str, str]
    ) -> ClientVenueMapping:
        return cls(
            client_id=client_id,
            external_id=checked_external_id(external_id),
            venue_id=venue_id,
            external_data_json=external_data_json(external_data),
            meta=meta,
        )

    @event(Registered)
    def __init__(
        self,
        client_id: UUID,
        external_id: str,
        venue_id: UUID,
        external_data_json: str,
        meta: dict[str, str],
    ) -> None:
        self.client_id = client_id
        self.external_id = external_id
        self.venue_id = venue_id
        self.external_data_json = external_data_json
        self.approval_status = PENDING
        self.is_active = True
        self.created_at = registered_at(meta)

    @property
    def is_approved(self) -> bool:
        return self.approval_status == APPROVED

    def check_maps(self, venue_id: UUID) -> None:
        """Refuse to map this external id to another venue than the one it maps."""
        if venue_id != self.venue_id:
            raise ExternalIdConflictError(
                f"external_id {self.external_id} is already mapped to another venue.",
                external_id=self.external_id,
            )

    def approve(self, meta: dict[str, str]) -> bool:
        """Approve the mapping; records nothing, and answers False, when it is approved already."""
        if self.approval_status == APPROVED:
            return False
        self._approve(meta=meta)
        return True

    def reject(self, meta: dict[str, str]) -> bool:
        """Reject the mapping; records nothing, and answers False, when it is rejected already."""
        if self.approval_status == REJECTED:
            return False
        self._reject(meta=meta)
        return True

    @event(ExternalDataReplaced)
    def _replace_external_data(self, external_data_json: str, meta: dict[str, str]) -> None:
        self.external_data_json = external_data_json

    @event(Approved)
    def _approve(self, meta: dict[str, str]) -> None:
        self.approval_status = APPROVED

    @event(Rejected)
    def _reject(self, meta: dict[str, str]) -> None:
        self.approval_status = REJECTED
