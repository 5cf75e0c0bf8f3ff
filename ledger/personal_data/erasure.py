"""Erasing a user: destroy the data keys of every subject that is this person, then record the erasure."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from domain.application import Ledger
from domain.context import RequestContext
from domain.erasure_commands import personal_data_kinds
from ledger.idempotency_store import IdempotencyKeys
from ledger.personal_data.migration import plaintext_events_of
from ledger.personal_data.subjects import email_subject, user_subject
from ledger.personal_data.vault import Vault
from projections.personal_data import ERASED_TEXT


@dataclass(frozen=True)
class Erasure:
    """One erasure as recorded: whose, when, what kinds of data, which keys, and its ledger position."""

    user_id: UUID
    erased_at: datetime
    kinds: list[str]
    key_ids: list[UUID]
    plaintext_events: int
    position: int | None

    def as_json(self) -> dict[str, object]:
        return {
            "userId": str(self.user_id),
            "erasedAt": self.erased_at.isoformat(),
            "kinds": self.kinds,
            "keysDestroyed": len(self.key_ids),
            "plaintextEvents": self.plaintext_events,
            "position": self.position,
        }


def erase_user(
    ledger: Ledger,
    vault: Vault,
    ctx: RequestContext,
    user_id: UUID,
    requested_by: UUID | None,
    answers: IdempotencyKeys | None = None,
) -> Erasure:
    """Erase the user's personal data everywhere: what names them by id and what names their email.

    The keys go first: an event recorded meanwhile is then unreadable too, and the erasure event that the
    views act on follows every event that could still be read. Raises UserNotFoundError for an unknown user.
    Asked again, it records another erasure (of whatever was recorded since). With `answers`, the answers
    stored for Idempotency-Key retries that name the user go as well.
    """
    user = ledger.user(user_id)
    subjects = [user_subject(user_id)]
    if user.email and user.email != ERASED_TEXT:
        subjects.append(email_subject(user.email))
    destroyed = vault.erase(subjects)
    plaintext = plaintext_events_of(vault, [vault.digest(subject) for subject in subjects])
    saved = ledger.record_erasure(ctx, user_id, requested_by, destroyed, plaintext)
    if answers is not None:
        answers.forget_answers_naming([str(user_id), user.email])
    erased_at = saved.value.erased_at or ctx.now
    return Erasure(user_id, erased_at, personal_data_kinds(), destroyed, plaintext, saved.position)
