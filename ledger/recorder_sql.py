"""The SQL of the events table's writer: its insert function and the hash column's upgrade."""

from __future__ import annotations

# The caller hashes what it can chain in Python (a stream's first event, or one whose previous hash it has
# seen) and passes NULL for the rest. Only then does the function chain those itself, before it takes the
# lock: one primary-key look-up per stream, in-batch predecessors from the loop. A stream's previous version
# was committed before this append was decided (a command reads the aggregate first), so its stored hash is
# final; one that a backfill is filling at this moment may be read unhashed, and the event is then written
# unhashed, for the backfill's next pass. Under the lock: NOTIFY and the insert, as before the chain.
INSERT_FUNCTION = """
CREATE OR REPLACE FUNCTION {schema}.{function}(events {schema}.{event}[], hashes bytea[])
RETURNS TABLE (event_position bigint, stored_hash bytea) LANGUAGE plpgsql AS $BODY$
DECLARE
    genesis CONSTANT bytea := decode(repeat('00', 32), 'hex');
    e record;
    chained bytea;
    topic_bytes bytea;
    state_bytes bytea;
    last_id uuid;
    last_version bigint;
BEGIN
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
    SET LOCAL lock_timeout = '{lock_timeout}s';
    LOCK TABLE {schema}.{table} IN EXCLUSIVE MODE;
    NOTIFY {channel};
    RETURN QUERY INSERT INTO {schema}.{table} AS t
        (originator_id, originator_version, topic, state, event_hash)
        SELECT u.originator_id, u.originator_version, u.topic, u.state, hashes[u.n::int]
        FROM unnest(events) WITH ORDINALITY AS u(originator_id, originator_version, topic, state, n)
        RETURNING t.notification_id, t.event_hash;
END; $BODY$
"""
# The function's form without hashes, from before the chain, is dropped when the ledger opens.
DROP_UNHASHED_FUNCTION = "DROP FUNCTION IF EXISTS {schema}.{function}({schema}.{event}[])"
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
