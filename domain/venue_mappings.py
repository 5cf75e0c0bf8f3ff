"""A client's own ids for venues: mappings an operator approves before the venue's resources are booked."""

from __future__ import annotations

from uuid import UUID

from eventsourcing.domain import event

from domain.base import LedgerAggregate
from domain.client_mappings import ExternalDataMapping, registration
from domain.errors import AccessDeniedError, InvalidInputError, NotFoundError

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

    KIND = "venue"

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

    @classmethod
    def register(
        cls, client_id: UUID, external_id: str, venue_id: UUID, external_data: object, meta: dict[str, str]
    ) -> ClientVenueMapping:
        return cls(venue_id=venue_id, **registration(client_id, external_id, external_data, meta))

    @event(Registered)
    def __init__(
        self,
        client_id: UUID,
        external_id: str,
        venue_id: UUID,
        external_data_json: str,
        meta: dict[str, str],
    ) -> None:
        self._start(client_id, external_id, external_data_json, meta)
        self.venue_id = venue_id
        self.approval_status = PENDING

    @property
    def is_approved(self) -> bool:
        return self.approval_status == APPROVED

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
