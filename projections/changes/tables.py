"""The change feed's tables and the row changes one entity change makes to them."""

from __future__ import annotations

from psycopg.types.json import Jsonb

from projections.changes.kinds import EntityChange
from projections.rows import Statement, query_text
from projections.tables import Table, Targets

ENTITIES, FEED, HORIZON = "change_feed_entities", "change_feed", "change_feed_horizon"
ENTITIES_TABLE = Table(
    ENTITIES,
    columns={
        "entity_id": "uuid PRIMARY KEY",
        "entity": "text NOT NULL",
        "client_id": "uuid NOT NULL",
        "external_id": "text",
        "state": "jsonb NOT NULL",
    },
)
FEED_TABLE = Table(
    FEED,
    columns={
        "client_id": "uuid NOT NULL",
        "position": "bigint NOT NULL",
        "type": "text NOT NULL",
        "entity": "text NOT NULL",
        "entity_id": "uuid NOT NULL",
        "external_id": "text",
        "state": "jsonb NOT NULL",
        "recorded_at": "timestamptz NOT NULL",
    },
    # A client's page is one range of the first; the second finds who changed in a range of the log.
    indexes={"by_client_position": "(client_id, position)", "by_position": "(position)"},
)
HORIZON_TABLE = Table(
    HORIZON,
    columns={"id": "smallint PRIMARY KEY", "position": "bigint NOT NULL"},
)
"""One row once changes were pruned: every change at or before `position` is gone."""


# A change as the feed and the webhooks show it, built by PostgreSQL so a page is served as it is stored.
CHANGE_JSON = (
    "json_build_object('position', position, 'type', type, 'entity', entity, 'id', entity_id, "
    "'externalId', external_id, 'state', state, 'recordedAt', "
    """to_char(recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))"""
)
CREATE_ENTITY = (
    "INSERT INTO {} (entity_id, entity, client_id, external_id, state) "
    "VALUES (%(id)s, %(entity)s, %(client)s, %(external_id)s, %(state)s) "
    "ON CONFLICT (entity_id) DO UPDATE SET state = EXCLUDED.state"
)
UPDATE_ENTITY = "UPDATE {} SET state = state || %(state)s WHERE entity_id = %(id)s"
# The change as the entity now is, for its client; nothing for an entity that no client owns.
RECORD_CHANGE = (
    "INSERT INTO {} (client_id, position, type, entity, entity_id, external_id, state, recorded_at) "
    "SELECT client_id, %(position)s, %(type)s, entity, entity_id, external_id, state, %(at)s "
    "FROM {} WHERE entity_id = %(id)s"
)


def feed_statements(change: EntityChange, position: int, at: object, targets: Targets) -> list[Statement]:
    """The entity's new state, then the change as the entity now is, at `position` in the log."""
    entities = targets[ENTITIES]
    state = {"id": change.entity_id, "state": Jsonb(change.state)}
    if change.creates:
        values = {**state, "entity": change.entity, "client": change.owner, "external_id": change.external_id}
        first: Statement = (query_text(CREATE_ENTITY, entities), values)
    else:
        first = (query_text(UPDATE_ENTITY, entities), state)
    recorded = {"id": change.entity_id, "position": position, "type": change.type, "at": at}
    return [first, (query_text(RECORD_CHANGE, targets[FEED], entities), recorded)]
