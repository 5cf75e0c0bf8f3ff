"""Notification rules: the terms a rule may have; adding, changing, removing rules; a cron run's pairs."""

from __future__ import annotations

from uuid import UUID

import pytest

from domain.notification_rules import (
    MAX_RULES,
    InvalidNotificationRuleError,
    NotificationRuleNotFoundError,
    NotificationRules,
    RuleTerms,
    TooManyNotificationRulesError,
    notification_rules_id,
)
from domain.notification_runs import NotificationRun
from tests.unit.events import given, meta, no_events, only_event

CLIENT = UUID(int=1)
RULE = UUID(int=2)
ACCEPTED = RuleTerms("booking.accepted", "both", "webhook")
REMINDER = RuleTerms("before_start", "athlete", "email", minutes_before=60)


def rules_with(*terms: RuleTerms) -> NotificationRules:
    """Given: the client's rules, numbered from 100, with `terms` added."""
    rules = NotificationRules(client_id=CLIENT, meta=meta())
    for number, each in enumerate(terms):
        rules.add(UUID(int=100 + number), each, meta())
    return given(rules)


def test_a_clients_rules_are_one_aggregate_found_by_the_client() -> None:
    assert NotificationRules(client_id=CLIENT, meta=meta()).id == notification_rules_id(CLIENT)


@pytest.mark.parametrize("terms", [ACCEPTED, REMINDER, RuleTerms("booking.completed", "coach", "webhook")])
def test_a_rule_is_added_with_its_terms(terms: RuleTerms) -> None:
    rules = rules_with()

    rules.add(RULE, terms, meta())

    added = only_event(rules, NotificationRules.RuleAdded)
    assert (added.trigger, added.audience, added.channel) == (terms.trigger, terms.audience, terms.channel)
    assert added.minutes_before == terms.minutes_before
    assert added.client_id == CLIENT
    assert rules.get(RULE).terms == terms


@pytest.mark.parametrize(
    ("terms", "named"),
    [
        (RuleTerms("booking.paid", "both", "webhook"), "trigger"),
        (RuleTerms("before_start", "both", "webhook"), "minutesBefore"),
        (RuleTerms("before_start", "both", "webhook", minutes_before=0), "minutesBefore"),
        (RuleTerms("booking.accepted", "both", "webhook", minutes_before=30), "minutesBefore"),
        (RuleTerms("booking.accepted", "everyone", "webhook"), "audience"),
        (RuleTerms("booking.accepted", "both", "sms"), "channel"),
    ],
)
def test_a_rule_with_unknown_terms_is_refused_naming_them(terms: RuleTerms, named: str) -> None:
    rules = rules_with()

    with pytest.raises(InvalidNotificationRuleError, match=named):
        rules.add(RULE, terms, meta())

    no_events(rules)


def test_a_client_has_at_most_so_many_rules() -> None:
    rules = rules_with(*[ACCEPTED] * MAX_RULES)

    with pytest.raises(TooManyNotificationRulesError):
        rules.add(RULE, ACCEPTED, meta())

    no_events(rules)


def test_changing_a_rule_replaces_its_terms_and_keeps_when_it_was_made() -> None:
    rules = rules_with(ACCEPTED)
    rule_id = UUID(int=100)

    assert rules.change(rule_id, REMINDER, meta("2030-02-01T00:00:00.000000Z"))

    changed = only_event(rules, NotificationRules.RuleChanged)
    assert (changed.trigger, changed.minutes_before, changed.channel) == ("before_start", 60, "email")
    rule = rules.get(rule_id)
    assert rule.terms == REMINDER
    assert rule.updated_at > rule.created_at


def test_changing_a_rule_to_the_terms_it_has_records_nothing() -> None:
    rules = rules_with(ACCEPTED)

    assert not rules.change(UUID(int=100), ACCEPTED, meta())

    no_events(rules)


def test_a_removed_rule_is_gone_and_another_clients_rule_is_not_found() -> None:
    rules = rules_with(ACCEPTED)

    rules.remove(UUID(int=100), meta())

    only_event(rules, NotificationRules.RuleRemoved)
    for unknown in (UUID(int=100), RULE):
        with pytest.raises(NotificationRuleNotFoundError):
            rules.get(unknown)
        with pytest.raises(NotificationRuleNotFoundError):
            rules.remove(unknown, meta())


def test_a_cron_run_records_its_pairs_in_order() -> None:
    bookings = [UUID(int=10), UUID(int=11)]

    run = NotificationRun(rule_ids=[RULE, RULE], booking_ids=bookings, meta=meta())

    recorded = only_event(run, NotificationRun.Recorded)
    assert recorded.booking_ids == bookings
    assert run.pairs == [(RULE, bookings[0]), (RULE, bookings[1])]
