"""Notifications, a producer of deliveries: rules, the bookings they watch, and the (rule, booking) claims.

The cron endpoint records the pairs it found due (`NotificationRun.Recorded`); here, in the view's own
transaction, each pair is claimed with INSERT ... ON CONFLICT DO NOTHING on its key, and only a pair claimed
now queues deliveries: to the booking client's webhook subscriptions, or to the rule's email destination.
Runs that named a pair before or after, from any process, queue nothing more, and a rebuild from the log
claims the same pairs at the same positions.
"""

from __future__ import annotations

import functools
from typing import Any

from psycopg import sql

from domain.booking import Booking
from domain.notification_rules import EMAIL, TRIGGERS, NotificationRules
from domain.notification_runs import NotificationRun
from projections.changes.kinds import instant
from projections.changes.outbox import DESTINATIONS, OUTBOX, destination, drop_destination
from projections.changes.tables import ENTITIES
from projections.rows import Statement, insert_row, query_text
from projections.tables import Handler, Table, Targets

RULES, BOOKINGS, MOMENTS, CLAIMS = (
    "notification_rules",
    "notification_bookings",
    "notification_moments",
    "notification_claims",
)
EMAIL_DESTINATION = "notification_email"
"""The kind of destination that an email rule is: its deliveries are sent by SMTP, not posted."""
NOTIFICATION = "notification"
NOTIFICATION_TYPES = (NOTIFICATION, *(f"{NOTIFICATION}.{trigger.replace('.', '_')}" for trigger in TRIGGERS))
"""What a webhook subscription names to take notifications: all, or those of one trigger."""
NOTIFICATION_TABLES = (
    Table(
        RULES,
        columns={
            "rule_id": "uuid PRIMARY KEY",
            "client_id": "uuid NOT NULL",
            "trigger": "text NOT NULL",
            "minutes_before": "integer",
            "audience": "text NOT NULL",
            "channel": "text NOT NULL",
            "since_position": "bigint NOT NULL",
        },
        indexes={"by_client": "(client_id, trigger)"},
    ),
    Table(
        BOOKINGS,
        columns={
            "booking_id": "uuid PRIMARY KEY",
            "client_id": "uuid NOT NULL",
            "user_id": "uuid NOT NULL",
            "coach_id": "uuid NOT NULL",
            "start_at": "timestamptz NOT NULL",
            "active": "boolean NOT NULL",
        },
        indexes={"by_client_start": "(client_id, start_at)"},
    ),
    Table(
        MOMENTS,
        columns={
            "booking_id": "uuid NOT NULL",
            "client_id": "uuid NOT NULL",
            "trigger": "text NOT NULL",
            "position": "bigint NOT NULL",
        },
        indexes={"by_client": "(client_id, trigger, position)"},
    ),
    Table(
        CLAIMS,
        columns={
            # md5 of "<rule id>/<booking id>" as a uuid: one claim per pair, whoever names it.
            "claim_id": "uuid PRIMARY KEY",
            "rule_id": "uuid NOT NULL",
            "booking_id": "uuid NOT NULL",
            "position": "bigint NOT NULL",
            "claimed_at": "timestamptz NOT NULL",
        },
    ),
)

# A rule whose trigger changes notifies the moments after the change only; one whose other terms change keeps
# the moments it was waiting to notify.
UPSERT_RULE = (
    "INSERT INTO {} AS kept (rule_id, client_id, trigger, minutes_before, audience, channel, since_position) "
    "VALUES (%(rule_id)s, %(client_id)s, %(trigger)s, %(minutes_before)s, %(audience)s, %(channel)s, "
    "%(since_position)s) ON CONFLICT (rule_id) DO UPDATE SET trigger = EXCLUDED.trigger, "
    "minutes_before = EXCLUDED.minutes_before, audience = EXCLUDED.audience, channel = EXCLUDED.channel, "
    "since_position = CASE WHEN kept.trigger = EXCLUDED.trigger THEN kept.since_position "
    "ELSE EXCLUDED.since_position END"
)
DROP_RULE = "DELETE FROM {} WHERE rule_id = %(rule_id)s"
BOOKING_ENDED = "UPDATE {} SET active = false WHERE booking_id = %(booking_id)s"
MOMENT = (
    "INSERT INTO {} (booking_id, client_id, trigger, position) SELECT booking_id, client_id, %(trigger)s, "
    "%(position)s FROM {} WHERE booking_id = %(booking_id)s"
)
# Claim the pair, if its rule and booking are still there (and, for a reminder, the booking still active);
# only a pair claimed by this statement queues its notification, to each destination its channel names.
CLAIM = (
    "WITH claimed AS (INSERT INTO {claims} (claim_id, rule_id, booking_id, position, claimed_at) "
    "SELECT md5(r.rule_id::text || '/' || b.booking_id::text)::uuid, r.rule_id, b.booking_id, "
    "%(position)s::bigint, %(at)s::timestamptz FROM {rules} r JOIN {bookings} b "
    "ON b.booking_id = %(booking)s::uuid AND b.client_id = r.client_id WHERE r.rule_id = %(rule)s::uuid "
    "AND (r.trigger <> 'before_start' OR b.active) "
    "ON CONFLICT (claim_id) DO NOTHING RETURNING claim_id, rule_id, booking_id), "
    "notice AS (SELECT c.claim_id, r.rule_id, r.client_id, r.channel, b.booking_id, "
    "'notification.' || replace(r.trigger, '.', '_') AS type, json_build_object("
    "'type', 'notification.' || replace(r.trigger, '.', '_'), 'entity', 'notification', "
    "'id', c.claim_id, 'ruleId', r.rule_id, 'trigger', r.trigger, 'minutesBefore', r.minutes_before, "
    "'bookingId', b.booking_id, 'recipients', json_strip_nulls(json_build_object("
    "'athlete', CASE WHEN r.audience IN ('athlete', 'both') THEN b.user_id END, "
    "'coach', CASE WHEN r.audience IN ('coach', 'both') THEN b.coach_id END)), "
    "'channel', r.channel, 'booking', e.state, 'position', %(position)s::bigint, "
    "'recordedAt', %(at_text)s::text)::text AS body FROM claimed c JOIN {rules} r ON r.rule_id = c.rule_id "
    "JOIN {bookings} b ON b.booking_id = c.booking_id LEFT JOIN {entities} e ON e.entity_id = b.booking_id) "
    "INSERT INTO {outbox} (destination_id, position, part, delivery_id, entity_id, event_type, body, "
    "created_at, redelivery) SELECT d.destination_id, %(position)s::bigint, %(part)s::integer, "
    "md5(d.destination_id::text || '/' || %(position)s::bigint || '/' || %(part)s::integer)::uuid, "
    "n.booking_id, n.type, n.body, %(at)s::timestamptz, false FROM notice n JOIN {destinations} d "
    "ON d.active AND ((n.channel = 'webhook' AND d.kind = 'subscription' AND d.client_id = n.client_id "
    "AND (cardinality(d.types) = 0 OR n.type = ANY(d.types) OR 'notification' = ANY(d.types))) "
    "OR (n.channel = 'email' AND d.kind = 'notification_email' AND d.destination_id = n.rule_id))"
)


def _rule(event: Any, position: int, targets: Targets) -> list[Statement]:
    values = {
        "rule_id": event.rule_id, "client_id": event.client_id, "trigger": event.trigger,
        "minutes_before": event.minutes_before, "audience": event.audience, "channel": event.channel,
        "since_position": position,
    }  # fmt: skip
    statements: list[Statement] = [(query_text(UPSERT_RULE, targets[RULES]), values)]
    if event.channel == EMAIL:
        # Emails need no signing secret; the destination holds none.
        statements.append(
            destination(targets, event.rule_id, EMAIL_DESTINATION, "smtp:", "", position, event.client_id)
        )
    else:
        statements.extend(drop_destination(targets, event.rule_id))
    return statements


def _rule_removed(event: NotificationRules.RuleRemoved, position: int, targets: Targets) -> list[Statement]:
    key = {"rule_id": event.rule_id}
    return [(query_text(DROP_RULE, targets[RULES]), key), *drop_destination(targets, event.rule_id)]


def _requested(event: Booking.Requested, position: int, targets: Targets) -> list[Statement]:
    row = {
        "booking_id": event.originator_id, "client_id": event.client_id, "user_id": event.user_id,
        "coach_id": event.coach_id, "start_at": event.start_at, "active": True,
    }  # fmt: skip
    return [insert_row(targets[BOOKINGS], row), *_moment("requested")(event, position, targets)]


def _moment(moment: str, ends: bool = False) -> Handler:
    def handle(event: Any, position: int, targets: Targets) -> list[Statement]:
        if getattr(event, "completed", True) is False:
            return []  # a completion taken back is no moment to notify
        key = {"booking_id": event.originator_id}
        moments = [(query_text(MOMENT, targets[MOMENTS], targets[BOOKINGS]),
                    {**key, "trigger": f"booking.{moment}", "position": position})]  # fmt: skip
        return [(query_text(BOOKING_ENDED, targets[BOOKINGS]), key), *moments] if ends else moments

    return handle


@functools.cache
def _claim_sql(claims: str, rules: str, bookings: str, entities: str, outbox: str, destinations: str) -> str:
    names = {
        "claims": claims, "rules": rules, "bookings": bookings, "entities": entities, "outbox": outbox,
        "destinations": destinations,
    }  # fmt: skip
    return sql.SQL(CLAIM).format(**{key: sql.SQL(name) for key, name in names.items()}).as_string()


def _run(event: NotificationRun.Recorded, position: int, targets: Targets) -> list[Statement]:
    tables = (CLAIMS, RULES, BOOKINGS, ENTITIES, OUTBOX, DESTINATIONS)
    text = _claim_sql(*(targets[table] for table in tables))
    at = event.recorded_at
    pairs = zip(event.rule_ids, event.booking_ids, strict=True)
    return [
        (
            text,
            {
                "rule": rule,
                "booking": booking,
                "position": position,
                "part": part,
                "at": at,
                "at_text": instant(at),
            },
        )
        for part, (rule, booking) in enumerate(pairs)
    ]


NOTIFICATION_HANDLERS: dict[type, Handler] = {
    NotificationRules.RuleAdded: _rule,
    NotificationRules.RuleChanged: _rule,
    NotificationRules.RuleRemoved: _rule_removed,
    Booking.Requested: _requested,
    Booking.Accepted: _moment("accepted"),
    Booking.Rejected: _moment("rejected", ends=True),
    Booking.Canceled: _moment("canceled", ends=True),
    Booking.CompletionMarked: _moment("completed"),
    NotificationRun.Recorded: _run,
}
