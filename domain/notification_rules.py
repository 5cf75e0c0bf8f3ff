"""A client's notification rules: which booking moments notify whom, through which channel."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID, uuid5

from eventsourcing.domain import event

from domain.base import LedgerAggregate
from domain.errors import ConflictError, InvalidInputError, NotFoundError

_NOTIFICATION_RULES = UUID("6a1f0c2e-93b4-4f7d-8e25-0b7c3d9a1e54")
MAX_RULES = 50
MAX_MINUTES_BEFORE = 60 * 24 * 30
BEFORE_START = "before_start"
MOMENTS = ("requested", "accepted", "rejected", "canceled", "completed")
TRIGGERS = (*(f"booking.{moment}" for moment in MOMENTS), BEFORE_START)
AUDIENCES = ("athlete", "coach", "both")
WEBHOOK, EMAIL = "webhook", "email"
CHANNELS = (WEBHOOK, EMAIL)


class NotificationRuleNotFoundError(NotFoundError):
    """Raised when the client has no notification rule with the id given."""


class InvalidNotificationRuleError(InvalidInputError):
    """Raised when a rule's trigger, minutes, audience or channel is not one the ledger knows."""


class TooManyNotificationRulesError(ConflictError):
    """Raised when the client already has as many notification rules as a client may have."""


class EmailNotConfiguredError(ConflictError):
    """Raised when a rule asks for email while the ledger has no SMTP server configured."""


def notification_rules_id(client_id: UUID) -> UUID:
    return uuid5(_NOTIFICATION_RULES, str(client_id))


@dataclass(frozen=True)
class RuleTerms:
    """What a rule says: on which trigger (and how many minutes before the start), to whom, how."""

    trigger: str
    audience: str
    channel: str
    minutes_before: int | None = None

    def checked(self) -> RuleTerms:
        """The terms, when the ledger knows each; `minutes_before` goes with `before_start` only."""
        problems = []
        if self.trigger not in TRIGGERS:
            problems.append(f"trigger must be one of {', '.join(TRIGGERS)}")
        if self.trigger == BEFORE_START and not (
            self.minutes_before is not None and 1 <= self.minutes_before <= MAX_MINUTES_BEFORE
        ):
            problems.append(f"minutesBefore must be 1 to {MAX_MINUTES_BEFORE} for trigger {BEFORE_START}")
        if self.trigger != BEFORE_START and self.minutes_before is not None:
            problems.append(f"minutesBefore is only for trigger {BEFORE_START}")
        if self.audience not in AUDIENCES:
            problems.append(f"audience must be one of {', '.join(AUDIENCES)}")
        if self.channel not in CHANNELS:
            problems.append(f"channel must be one of {', '.join(CHANNELS)}")
        if problems:
            raise InvalidNotificationRuleError("; ".join(problems) + ".")
        return self


@dataclass(frozen=True)
class NotificationRule:
    id: UUID
    terms: RuleTerms
    created_at: datetime
    updated_at: datetime


class NotificationRules(LedgerAggregate):
    """One client's notification rules, for the bookings placed through it; at most MAX_RULES."""

    class Started(LedgerAggregate.Created):
        client_id: UUID

    class RuleAdded(LedgerAggregate.Event):
        rule_id: UUID
        client_id: UUID
        trigger: str
        minutes_before: int | None
        audience: str
        channel: str

    class RuleChanged(LedgerAggregate.Event):
        rule_id: UUID
        client_id: UUID
        trigger: str
        minutes_before: int | None
        audience: str
        channel: str

    class RuleRemoved(LedgerAggregate.Event):
        rule_id: UUID

    @staticmethod
    def create_id(client_id: UUID, **_: object) -> UUID:
        return notification_rules_id(client_id)

    @event(Started)
    def __init__(self, client_id: UUID, meta: dict[str, str]) -> None:
        self.client_id = client_id
        self.rules: dict[UUID, NotificationRule] = {}

    def get(self, rule_id: UUID) -> NotificationRule:
        found = self.rules.get(rule_id)
        if found is None:
            raise NotificationRuleNotFoundError(f"Notification rule {rule_id} was not found.")
        return found

    def add(self, rule_id: UUID, terms: RuleTerms, meta: dict[str, str]) -> None:
        checked = terms.checked()
        if len(self.rules) >= MAX_RULES:
            raise TooManyNotificationRulesError(
                f"A client has at most {MAX_RULES} notification rules; delete one to add another."
            )
        self._add(rule_id=rule_id, client_id=self.client_id, **_fields(checked), meta=meta)

    def change(self, rule_id: UUID, terms: RuleTerms, meta: dict[str, str]) -> bool:
        """Replace the rule's terms; False (no event) when they are the same."""
        checked = terms.checked()
        if self.get(rule_id).terms == checked:
            return False
        self._change(rule_id=rule_id, client_id=self.client_id, **_fields(checked), meta=meta)
        return True

    def remove(self, rule_id: UUID, meta: dict[str, str]) -> None:
        self.get(rule_id)
        self._remove(rule_id=rule_id, meta=meta)

    @event(RuleAdded)
    def _add(
        self,
        rule_id: UUID,
        client_id: UUID,
        trigger: str,
        minutes_before: int | None,
        audience: str,
        channel: str,
        meta: dict[str, str],
    ) -> None:
        at = datetime.fromisoformat(meta["recordedAt"])
        terms = RuleTerms(trigger, audience, channel, minutes_before)
        self.rules[rule_id] = NotificationRule(rule_id, terms, at, at)

    @event(RuleChanged)
    def _change(
        self,
        rule_id: UUID,
        client_id: UUID,
        trigger: str,
        minutes_before: int | None,
        audience: str,
        channel: str,
        meta: dict[str, str],
    ) -> None:
        before = self.rules[rule_id]
        terms = RuleTerms(trigger, audience, channel, minutes_before)
        at = datetime.fromisoformat(meta["recordedAt"])
        self.rules[rule_id] = NotificationRule(rule_id, terms, before.created_at, at)

    @event(RuleRemoved)
    def _remove(self, rule_id: UUID, meta: dict[str, str]) -> None:
        del self.rules[rule_id]


def _fields(terms: RuleTerms) -> dict[str, Any]:
    return {
        "trigger": terms.trigger,
        "minutes_before": terms.minutes_before,
        "audience": terms.audience,
        "channel": terms.channel,
    }
