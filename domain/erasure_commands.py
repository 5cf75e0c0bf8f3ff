"""The command that records a person's erasure, and the kinds of personal data the ledger holds."""

from __future__ import annotations

from uuid import UUID

from domain.app_base import LedgerBase, Saved
from domain.base import LedgerAggregate
from domain.context import RequestContext
from domain.user import User, UserNotFoundError


def personal_data_kinds() -> list[str]:
    """Every kind of personal data in events, as `Aggregate.field`, from the aggregates' PERSONAL_FIELDS."""
    kinds: set[str] = set()
    pending: list[type[LedgerAggregate]] = [LedgerAggregate]
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        kinds.update(f"{cls.__name__}.{name}" for name in cls.__dict__.get("PERSONAL_FIELDS", ()))
    return sorted(kinds)


class ErasureCommands(LedgerBase):
    """Recording erasures; the keys themselves are destroyed outside the domain (ledger/personal_data)."""

    def user(self, user_id: UUID) -> User:
        return self.load(user_id, User, UserNotFoundError, "User")

    def record_erasure(
        self,
        ctx: RequestContext,
        user_id: UUID,
        requested_by: UUID | None,
        key_ids: list[UUID],
        plaintext_events: int = 0,
    ) -> Saved[User]:
        """Record that the user's personal data was erased with these keys; the user must exist."""

        def attempt() -> Saved[User]:
            user = self.user(user_id)
            kinds = personal_data_kinds()
            user.record_erasure(requested_by, kinds, sorted(key_ids), plaintext_events, ctx.meta())
            return Saved(user, position=self.save_all(user))

        return self.with_retry(attempt)
