"""The webhook outbox, a view of the log: where deliveries go (destinations) and what to deliver, in order.

A destination is a URL with its sealed signing secret: a client's webhook subscription, or anything else a
producer registers. Each outbox row is one delivery to one destination, keyed by the log position of the
event that queued it (and a part, when one event queues several), which is the order of delivery. The
delivery worker (`ledger/webhooks/`) reads the rows; it never writes them.
"""

from __future__ import annotations

import functools
import hashlib
import json
from datetime import datetime
from typing import Any
from uuid import UUID

from psycopg import sql

from projections.changes.tables import CHANGE_JSON, FEED
from projections.rows import Statement, query_text
from projections.tables import Table, Targets

DESTINATIONS, OUTBOX = "webhook_destinations", "webhook_outbox"
QUEUED_NOTICE = (
    "SELECT pg_notify(%(channel)s, '') WHERE EXISTS (SELECT 1 FROM {} WHERE position > %(after)s "
    "AND position <= %(upto)s)"
)
SUBSCRIPTION = "subscription"
"""The kind of destination that a client's webhook subscription is."""
DESTINATIONS_TABLE = Table(
    DESTINATIONS,
    columns={
        "destination_id": "uuid PRIMARY KEY",
        "kind": "text NOT NULL",
        "client_id": "uuid",
        "url": "text NOT NULL",
        "secret_ciphertext": "text NOT NULL",
        "types": "text[] NOT NULL",
        "active": "boolean NOT NULL",
        "since_position": "bigint NOT NULL",
    },
    indexes={"by_client": "(client_id)"},
)
OUTBOX_TABLE = Table(
    OUTBOX,
    columns={
        "destination_id": "uuid NOT NULL",
        "position": "bigint NOT NULL",
        "part": "integer NOT NULL",
        "delivery_id": "uuid NOT NULL",
        "entity_id": "uuid",
        "event_type": "text NOT NULL",
        # JSON as text: delivered byte for byte as it was queued.
        "body": "text NOT NULL",
        "created_at": "timestamptz NOT NULL",
        "redelivery": "boolean NOT NULL",
    },
    indexes={
        "by_destination": "(destination_id, position, part)",
        "by_delivery": "(delivery_id)",
        "by_position": "(position)",
    },
)

UPSERT_DESTINATION = (
    "INSERT INTO {} (destination_id, kind, client_id, url, secret_ciphertext, types, active, since_position) "
    "VALUES (%(id)s, %(kind)s, %(client)s, %(url)s, %(secret)s, %(types)s, true, %(position)s) "
    "ON CONFLICT (destination_id) DO UPDATE SET url = EXCLUDED.url, "
    "secret_ciphertext = EXCLUDED.secret_ciphertext, types = EXCLUDED.types, active = true"
)
SET_ACTIVE = "UPDATE {} SET active = %(active)s WHERE destination_id = %(id)s"
DROP_DESTINATION = "DELETE FROM {} WHERE destination_id = %(id)s"
DROP_DELIVERIES = "DELETE FROM {} WHERE destination_id = %(id)s"
ENQUEUE = (
    "INSERT INTO {} (destination_id, position, part, delivery_id, entity_id, event_type, body, created_at, "
    "redelivery) VALUES (%(id)s, %(position)s, %(part)s, md5(%(id)s::text || '/' || %(position)s || '/' "
    "|| %(part)s)::uuid, %(entity)s, %(type)s, %(body)s, %(at)s, false)"
)
# A change goes to each active subscription of its client that takes its type; the delivery id is derived
# from subscription and position, so a rebuilt outbox names its deliveries as before.
FAN_OUT_CHANGE = (
    "INSERT INTO {outbox} (destination_id, position, part, delivery_id, entity_id, event_type, body, "
    "created_at, redelivery) SELECT d.destination_id, c.position, 0, "
    "md5(d.destination_id::text || '/' || c.position || '/0')::uuid, c.entity_id, c.type, {change}::text, "
    "c.recorded_at, false FROM {feed} c JOIN {destinations} d ON d.client_id = c.client_id "
    "AND d.kind = 'subscription' AND d.active "
    "AND (cardinality(d.types) = 0 OR c.type = ANY(d.types) OR c.entity = ANY(d.types)) "
    "WHERE c.position = %(position)s"
)
REQUEUE = (
    "INSERT INTO {} (destination_id, position, part, delivery_id, entity_id, event_type, body, created_at, "
    "redelivery) SELECT destination_id, %(position)s, 0, delivery_id, entity_id, event_type, body, %(at)s, "
    "true FROM {} WHERE destination_id = %(id)s AND delivery_id = %(delivery)s ORDER BY position LIMIT 1"
)


def destination(
    targets: Targets,
    destination_id: UUID,
    kind: str,
    url: str,
    secret_ciphertext: str,
    position: int,
    client_id: UUID | None = None,
    types: list[str] | None = None,
) -> Statement:
    """Register (or change) a destination: deliveries queued for it from now on go to `url`."""
    values = {
        "id": destination_id, "kind": kind, "client": client_id, "url": url, "secret": secret_ciphertext,
        "types": list(types or []), "position": position,
    }  # fmt: skip
    return query_text(UPSERT_DESTINATION, targets[DESTINATIONS]), values


def destination_active(targets: Targets, destination_id: UUID, active: bool) -> Statement:
    """Stop or resume a destination: an inactive one is queued nothing and delivered nothing."""
    return query_text(SET_ACTIVE, targets[DESTINATIONS]), {"id": destination_id, "active": active}


def drop_destination(targets: Targets, destination_id: UUID) -> list[Statement]:
    """Forget a destination and what was still queued for it."""
    key = {"id": destination_id}
    return [
        (query_text(DROP_DELIVERIES, targets[OUTBOX]), key),
        (query_text(DROP_DESTINATION, targets[DESTINATIONS]), key),
    ]


def enqueue(
    targets: Targets,
    destination_id: UUID,
    position: int,
    event_type: str,
    body: dict[str, Any],
    at: datetime,
    part: int = 0,
    entity_id: UUID | None = None,
) -> Statement:
    """Queue one delivery of `body` (JSON) to a destination, in the order of its log `position` and `part`."""
    values = {
        "id": destination_id, "position": position, "part": part, "entity": entity_id, "type": event_type,
        "body": json.dumps(body, separators=(",", ":"), sort_keys=True), "at": at,
    }  # fmt: skip
    return query_text(ENQUEUE, targets[OUTBOX]), values


@functools.cache
def _fan_out_sql(outbox: str, feed: str, destinations: str) -> str:
    return (
        sql.SQL(FAN_OUT_CHANGE)
        .format(
            outbox=sql.SQL(outbox),
            change=sql.SQL(CHANGE_JSON),
            feed=sql.SQL(feed),
            destinations=sql.SQL(destinations),
        )
        .as_string()
    )


def fan_out_change(targets: Targets, position: int) -> Statement:
    """Queue the change at `position` for every subscription of its client that takes it."""
    return _fan_out_sql(targets[OUTBOX], targets[FEED], targets[DESTINATIONS]), {"position": position}


def requeue(
    targets: Targets, destination_id: UUID, delivery_id: UUID, position: int, at: datetime
) -> Statement:
    """Queue a delivery again, with its id and body, after what is queued now (a manual redelivery)."""
    values = {"id": destination_id, "delivery": delivery_id, "position": position, "at": at}
    return query_text(REQUEUE, targets[OUTBOX], targets[OUTBOX]), values


def outbox_channel(outbox: str) -> str:
    """The channel on which the outbox `outbox` (its quoted name) announces rows queued: a hash, so that
    it stays within PostgreSQL's 63 bytes whatever the schema's name."""
    return "webhook_outbox_" + hashlib.sha256(outbox.encode()).hexdigest()[:32]


def queued_notice(targets: Targets, after: int, upto: int) -> Statement:
    """A NOTIFY on the outbox's channel if deliveries were queued at positions in (after, upto]: sent in the
    view's transaction, so the delivery worker hears of them as they commit."""
    values = {"channel": outbox_channel(targets[OUTBOX]), "after": after, "upto": upto}
    return query_text(QUEUED_NOTICE, targets[OUTBOX]), values
