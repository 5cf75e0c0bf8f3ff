"""A run of the notifications cron: the (rule, booking) pairs it found due, recorded in the log.

The changes view claims each pair once, whichever run named it first, and queues its deliveries then, so
the outbox stays a view of the log and runs that overlap send nothing twice.
"""

from __future__ import annotations

from uuid import UUID

from eventsourcing.domain import event

from domain.base import LedgerAggregate

MAX_PAIRS = 1000


class NotificationRun(LedgerAggregate):
    """One call of the cron endpoint; each is an aggregate of its own, so calls never contend."""

    class Recorded(LedgerAggregate.Created):
        rule_ids: list[UUID]
        booking_ids: list[UUID]

    @event(Recorded)
    def __init__(self, rule_ids: list[UUID], booking_ids: list[UUID], meta: dict[str, str]) -> None:
        self.pairs = list(zip(rule_ids, booking_ids, strict=True))
