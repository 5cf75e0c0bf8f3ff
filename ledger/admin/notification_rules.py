"""A client's notification rules in the admin API and `ledger admin`: the body, answers and operations."""

from __future__ import annotations

from typing import Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, StrictInt

from domain.application import Ledger
from domain.context import RequestContext, format_instant
from domain.notification_rules import AUDIENCES, CHANNELS, TRIGGERS, NotificationRule, RuleTerms


class NotificationRuleIn(BaseModel):
    """When a booking notifies whom, and how."""

    model_config = ConfigDict(extra="forbid")

    trigger: str = Field(
        max_length=32,
        examples=["booking.accepted"],
        description=f"One of {', '.join(TRIGGERS)}.",
    )
    minutesBefore: StrictInt | None = Field(
        default=None,
        ge=-(10**9),
        le=10**9,
        examples=[60],
        description="For `before_start` only: how many minutes before the booking's start to notify.",
    )
    audience: str = Field(max_length=16, examples=["both"], description=f"One of {', '.join(AUDIENCES)}.")
    channel: str = Field(
        max_length=16,
        examples=["webhook"],
        description="`webhook`: to the client's webhook subscriptions; `email`: by SMTP, where configured.",
    )

    def terms(self) -> RuleTerms:
        """The rule's terms, checked by the domain (`InvalidNotificationRuleError` names what is wrong)."""
        return RuleTerms(self.trigger, self.audience, self.channel, self.minutesBefore)


class NotificationRuleOut(BaseModel):
    id: UUID
    clientId: UUID
    trigger: str
    minutesBefore: int | None
    audience: str
    channel: Literal["webhook", "email"] = Field(description=f"One of {', '.join(CHANNELS)}.")
    createdAt: str
    updatedAt: str

    @classmethod
    def of(cls, client_id: UUID, rule: NotificationRule) -> NotificationRuleOut:
        terms = rule.terms
        return cls(
            id=rule.id,
            clientId=client_id,
            trigger=terms.trigger,
            minutesBefore=terms.minutes_before,
            audience=terms.audience,
            channel=terms.channel,  # type: ignore[arg-type]
            createdAt=format_instant(rule.created_at),
            updatedAt=format_instant(rule.updated_at),
        )


class NotificationRuleList(BaseModel):
    rules: list[NotificationRuleOut]


def add_rule(
    ledger: Ledger, ctx: RequestContext, client_id: UUID, body: NotificationRuleIn
) -> NotificationRuleOut:
    return NotificationRuleOut.of(client_id, ledger.add_notification_rule(ctx, client_id, body.terms()).value)


def change_rule(
    ledger: Ledger, ctx: RequestContext, client_id: UUID, rule_id: UUID, body: NotificationRuleIn
) -> NotificationRuleOut:
    saved = ledger.change_notification_rule(ctx, client_id, rule_id, body.terms())
    return NotificationRuleOut.of(client_id, saved.value)


def list_rules(ledger: Ledger, client_id: UUID) -> NotificationRuleList:
    rules = ledger.notification_rules(client_id)
    return NotificationRuleList(rules=[NotificationRuleOut.of(client_id, rule) for rule in rules])


def get_rule(ledger: Ledger, client_id: UUID, rule_id: UUID) -> NotificationRuleOut:
    return NotificationRuleOut.of(client_id, ledger.notification_rule(client_id, rule_id))
