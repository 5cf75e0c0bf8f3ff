"""The SQL of the events table's writer: its insert function, the safe position and the columns' upgrades."""

from __future__ import annotations

# Appends take no table lock: writers of different streams commit together, and a tailing reader reads only
# up to the safe position (SAFE_POSITION_FUNCTION; README "How it works"). For that, before anything gives
# this transaction an id, the function notes the last position the sequence has issued (its floor: every
# position up to it belongs to a transaction that had its id already), then takes the transaction's id, and
# only then do its rows take positions. A transaction that wrote before it calls the function had its id
# earlier, so its floor says nothing and stays NULL.
#
# The caller hashes what it can chain in Python (a stream's first event, or one whose previous hash it has
# seen) and passes NULL for the rest; the function chains those itself, one primary-key look-up per stream,
# in-batch predecessors from the loop. A stream's previous version was committed before this append was
# decided (a command reads the aggregate first), so its stored hash is final; a concurrent writer of the
# same stream inserts the same (stream, version) key and one of them fails on the primary key, so a chain
# never forks. One that a backfill is filling at this moment may be read unhashed, and the event is then
# written unhashed, for the backfill's next pass.
INSERT_FUNCTION = """
CREATE OR REPLACE FUNCTION {schema}.{function}(events {schema}.{event}[], hashes bytea[])
RETURNS TABLE (event_position bigint, stored_hash bytea) LANGUAGE plpgsql AS $BODY$
DECLARE
    genesis CONSTANT bytea := decode(repeat('00', 32), 'hex');
    floor_position bigint;
    transaction xid8;
    e record;
    chained bytea;
    topic_bytes bytea;
    state_bytes bytea;
    last_id uuid;
    last_version bigint;
BEGIN
    IF pg_current_xact_id_if_assigned() IS NULL THEN
        floor_position := coalesce(pg_sequence_last_value({sequence}::regclass), 0);
    END IF;
    transaction := pg_current_xact_id();
    IF array_position(hashes, NULL) IS NOT NULL THEN
        FOR e IN
            SELECT u.originator_id, u.originator_version, u.topic, u.state, u.n
            FROM unnest(events) WITH ORDINALITY AS u(originator_id, originator_version, topic, state, n)
            ORDER BY u.originator_id, u.originator_version
        LOOP
            IF hashes[e.n::int] IS NOT NULL THEN
                chained := hashes[e.n::int];
            ELSE
                IF e.originator_version = 1 THEN
                    chained := genesis;
                ELSIF last_id IS DISTINCT FROM e.originator_id
                        OR e.originator_version <> last_version + 1 THEN
                    -- No row leaves it NULL: the event is written unhashed.
                    SELECT p.event_hash INTO chained FROM {schema}.{table} p
                    WHERE p.originator_id = e.originator_id
                        AND p.originator_version = e.originator_version - 1;
                END IF;
                IF chained IS NOT NULL THEN
                    topic_bytes := convert_to(coalesce(e.topic, ''), 'UTF8');
                    state_bytes := coalesce(e.state, ''::bytea);
                    chained := sha256(
                        chained || uuid_send(e.originator_id) || int8send(e.originator_version)
                        || int4send(octet_length(topic_bytes)) || topic_bytes
                        || int4send(octet_length(state_bytes)) || state_bytes
                    );
                END IF;
                hashes[e.n::int] := chained;
            END IF;
            last_id := e.originator_id;
            last_version := e.originator_version;
        END LOOP;
    END IF;
    RETURN QUERY INSERT INTO {schema}.{table} AS t
        (originator_id, originator_version, topic, state, event_hash, transaction_id, position_floor)
        SELECT u.originator_id, u.originator_version, u.topic, u.state, hashes[u.n::int],
            transaction, floor_position
        FROM unnest(events) WITH ORDINALITY AS u(originator_id, originator_version, topic, state, n)
        ORDER BY u.n
        RETURNING t.notification_id, t.event_hash;
END; $BODY$
"""
# Forms of the function from before: without hashes (before the chain) and under the table lock.
DROP_OLD_FUNCTIONS = [
    "DROP FUNCTION IF EXISTS {schema}.{locked}({schema}.{event}[])",
    "DROP FUNCTION IF EXISTS {schema}.{locked}({schema}.{event}[], bytea[])",
]

# The highest position up to which every event that will ever exist is committed and visible in the calling
# statement's snapshot (a STABLE function shares it): positions at or below it never appear later. Each
# term is a position whose every holder is finished as of the snapshot:
# - the floor of the newest append older than the snapshot's oldest running transaction (xmin): the holders
#   of positions up to that floor had their ids before that append had its own, so they are older than
#   xmin, so they are finished (a running transaction older than xmin would be xmin);
# - the last position written before the upgrade (transaction_id 0), under the table lock of that time.
# It leaves out the positions issued after the newest such floor: the last appends of a quiet moment. A
# barrier (BARRIER_FUNCTION) covers those.
SAFE_POSITION_FUNCTION = """
CREATE OR REPLACE FUNCTION {schema}.{function}() RETURNS bigint LANGUAGE sql STABLE AS $BODY$
    SELECT greatest(
        (SELECT e.position_floor FROM {schema}.{table} e
            WHERE e.transaction_id < pg_snapshot_xmin(pg_current_snapshot()) AND e.position_floor IS NOT NULL
            ORDER BY e.transaction_id DESC LIMIT 1),
        (SELECT e.notification_id FROM {schema}.{table} e
            WHERE e.transaction_id = '0' ORDER BY e.transaction_id DESC, e.notification_id DESC LIMIT 1),
        0)
$BODY$
"""
# A barrier: the last position issued, then a transaction id given after it was read. Every holder of a
# position up to `issued` had its id before, so once a snapshot's oldest running transaction (xmin) is
# younger than `transaction_id`, they have all finished. (A snapshot's xmax is no such bound: it is the
# newest finished id plus one, and younger transactions may run.) Costs one transaction id.
BARRIER_FUNCTION = """
CREATE OR REPLACE FUNCTION {schema}.{function}(OUT issued bigint, OUT transaction_id bigint)
LANGUAGE plpgsql AS $BODY$
BEGIN
    IF pg_current_xact_id_if_assigned() IS NOT NULL THEN
        RAISE EXCEPTION 'a barrier needs a transaction of its own';
    END IF;
    issued := coalesce(pg_sequence_last_value({sequence}::regclass), 0);
    transaction_id := pg_current_xact_id()::text::bigint;
END; $BODY$
"""

# A table from before the hash chain gets the column (a catalog change only) and an index of the events
# still to hash, which the backfill walks; checking the catalog first keeps later starts lock-free.
ADD_HASH_COLUMN = """
DO $BODY$ BEGIN
    IF NOT EXISTS (
        SELECT FROM pg_attribute
        WHERE attrelid = {relation}::regclass AND attname = 'event_hash' AND NOT attisdropped
    ) THEN
        ALTER TABLE {schema}.{table} ADD COLUMN event_hash bytea;
        CREATE INDEX {unhashed} ON {schema}.{table} (originator_id, originator_version)
            WHERE event_hash IS NULL;
    END IF;
END $BODY$
"""
# A table from before the lock-free appends gets each event's transaction id and floor. Its rows were
# written under the table lock, in commit order, so they count as committed long ago: transaction 0 (a
# constant default, a catalog change only); new rows get their own. The index serves the safe position.
ADD_TRANSACTION_COLUMNS = """
DO $BODY$ BEGIN
    IF NOT EXISTS (
        SELECT FROM pg_attribute
        WHERE attrelid = {relation}::regclass AND attname = 'transaction_id' AND NOT attisdropped
    ) THEN
        ALTER TABLE {schema}.{table} ADD COLUMN transaction_id xid8 NOT NULL DEFAULT '0',
            ADD COLUMN position_floor bigint;
        ALTER TABLE {schema}.{table} ALTER COLUMN transaction_id SET DEFAULT pg_current_xact_id();
        CREATE INDEX {index} ON {schema}.{table} (transaction_id, notification_id);
    END IF;
END $BODY$
"""
