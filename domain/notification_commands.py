"""Commands of notification rules (an operator manages a client's rules) and of the cron's runs."""

from __future__ import annotations

from uuid import UUID, uuid4

from domain.app_base import LedgerBase, Saved
from domain.client import Client, ClientNotFoundError
from domain.context import RequestContext
from domain.notification_rules import (
    EMAIL,
    EmailNotConfiguredError,
    NotificationRule,
    NotificationRuleNotFoundError,
    NotificationRules,
    RuleTerms,
    notification_rules_id,
)
from domain.notification_runs import NotificationRun


class NotificationCommands(LedgerBase):
    """A client's notification rules, all in its one `NotificationRules` aggregate."""

    email_configured = False
    """Whether notifications may go by email: an SMTP server is configured (a setting)."""

    def add_notification_rule(
        self, ctx: RequestContext, client_id: UUID, terms: RuleTerms
    ) -> Saved[NotificationRule]:
        self._check_channel(terms)
        self.load(client_id, Client, ClientNotFoundError, "Client")
        rule_id = uuid4()

        def attempt() -> Saved[NotificationRule]:
            meta = ctx.meta()
            rules = self._rules_of(client_id) or NotificationRules(client_id=client_id, meta=meta)
            rules.add(rule_id, terms, meta)
            return Saved(rules.get(rule_id), created=True, position=self.save_all(rules))

        return self.with_retry(attempt)

    def change_notification_rule(
        self, ctx: RequestContext, client_id: UUID, rule_id: UUID, terms: RuleTerms
    ) -> Saved[NotificationRule]:
        self._check_channel(terms)

        def attempt() -> Saved[NotificationRule]:
            rules = self._existing_rules(client_id, rule_id)
            changed = rules.change(rule_id, terms, ctx.meta())
            position = self.save_all(rules) if changed else None
            return Saved(rules.get(rule_id), position=position)

        return self.with_retry(attempt)

    def remove_notification_rule(self, ctx: RequestContext, client_id: UUID, rule_id: UUID) -> int | None:
        def attempt() -> int | None:
            rules = self._existing_rules(client_id, rule_id)
            rules.remove(rule_id, ctx.meta())
            return self.save_all(rules)

        return self.with_retry(attempt)

    def notification_rules(self, client_id: UUID) -> list[NotificationRule]:
        """The client's rules in the order they were made (an unknown client is a 404)."""
        self.load(client_id, Client, ClientNotFoundError, "Client")
        rules = self._rules_of(client_id)
        return list(rules.rules.values()) if rules is not None else []

    def notification_rule(self, client_id: UUID, rule_id: UUID) -> NotificationRule:
        return self._existing_rules(client_id, rule_id).get(rule_id)

    def record_due_notifications(self, ctx: RequestContext, due: list[tuple[UUID, UUID]]) -> int:
        """Record the (rule, booking) pairs found due; returns the position the view claims them at."""
        run = NotificationRun(
            rule_ids=[rule for rule, _ in due], booking_ids=[booking for _, booking in due], meta=ctx.meta()
        )
        position = self.save_all(run)
        assert position is not None
        return position

    def _check_channel(self, terms: RuleTerms) -> None:
        if terms.channel == EMAIL and not self.email_configured:
            raise EmailNotConfiguredError(
                "Notifications by email need an SMTP server; this ledger has none configured."
            )

    def _rules_of(self, client_id: UUID) -> NotificationRules | None:
        return self.find(notification_rules_id(client_id), NotificationRules)

    def _existing_rules(self, client_id: UUID, rule_id: UUID) -> NotificationRules:
        rules = self._rules_of(client_id)
        if rules is None or rule_id not in rules.rules:
            raise NotificationRuleNotFoundError(f"Notification rule {rule_id} was not found.")
        return rules
