"""People who take part in bookings; their profile fields are personal data."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from eventsourcing.domain import event

from domain.base import LedgerAggregate
from domain.errors import InvalidInputError, NotFoundError
from domain.ids import user_email_id


class UserNotFoundError(NotFoundError):
    """Raised when a user id names no user."""


class InvalidEmailError(InvalidInputError):
    """Raised when an email address is not plausible."""


def normalized_email(email: str) -> str:
    email = email.strip().lower()
    local, _, domain = email.partition("@")
    labels = domain.split(".")
    plausible = (
        local
        and len(labels) >= 2
        and all(labels)
        and "@" not in domain
        and len(email) <= 320
        and not any(c.isspace() or ord(c) < 32 for c in email)
    )
    if not plausible:
        raise InvalidEmailError(f"{email!r} is not an email address.")
    return email


class User(LedgerAggregate):
    """A person known to the ledger; clients act for the users linked to them."""

    PERSONAL_FIELDS = ("email", "first_name", "last_name")

    class Registered(LedgerAggregate.Created):
        email: str
        first_name: str | None
        last_name: str | None

    @classmethod
    def register(
        cls, email: str, first_name: str | None, last_name: str | None, meta: dict[str, str]
    ) -> User:
        return cls(email=normalized_email(email), first_name=first_name, last_name=last_name, meta=meta)

    @event(Registered)
    def __init__(
        self, email: str, first_name: str | None, last_name: str | None, meta: dict[str, str]
    ) -> None:
        self.email = email
        self.first_name = first_name
        self.last_name = last_name
        self.erased_at: datetime | None = None

    class PersonalDataErased(LedgerAggregate.Event):
        """The user's personal data was erased: their data keys destroyed, every event's copy unreadable.

        `requested_by` is the user who asked (None when an operator did; the actor is in the metadata),
        `kinds` the kinds of personal data erased, `key_ids` the data keys destroyed, `plaintext_events` how
        many events from before encryption hold their data in plaintext (masked on reads, not shredded).
        """

        requested_by: UUID | None
        kinds: list[str]
        key_ids: list[UUID]
        plaintext_events: int

        def apply(self, aggregate: User) -> None:
            aggregate.erased_at = self.recorded_at

    def record_erasure(
        self,
        requested_by: UUID | None,
        kinds: list[str],
        key_ids: list[UUID],
        plaintext_events: int,
        meta: dict[str, str],
    ) -> None:
        self.trigger_event(
            self.PersonalDataErased,
            requested_by=requested_by,
            kinds=kinds,
            key_ids=key_ids,
            plaintext_events=plaintext_events,
            meta=meta,
        )


class UserEmail(LedgerAggregate):
    """The user an email address finds: the first user saved with it, so a look-up by email is one read.

    Its id is derived from the normalized address and it is saved with that user, so two users racing for one
    address cannot both be found by it. It records only the user id; the address is the user's personal data.
    """

    class Claimed(LedgerAggregate.Created):
        user_id: UUID

    @classmethod
    def claim(cls, user: User, meta: dict[str, str]) -> UserEmail:
        return cls(id=user_email_id(user.email), user_id=user.id, meta=meta)

    @event(Claimed)
    def __init__(self, id: UUID, user_id: UUID, meta: dict[str, str]) -> None:
        self.user_id = user_id
