"""Each client's request budget in PostgreSQL: one token bucket per client, shared by every API process."""

from __future__ import annotations

from eventsourcing.postgres import PostgresDatastore
from psycopg import sql

TABLE = "client_rate_buckets"
# The bucket refilled up to now: `now()` is one instant for the whole statement, and a statement whose
# transaction began before the row's last update refills nothing rather than a negative amount.
REFILLED = "least(%(burst)s, b.tokens + greatest(0, extract(epoch FROM now() - b.updated_at)) * %(rate)s)"


def table_ddl(schema: str) -> list[sql.Composed]:
    """The buckets table. Unlogged: a crash of the database forgets the buckets, and clients start full."""
    table = sql.Identifier(schema, TABLE) if schema else sql.Identifier(TABLE)
    return [
        sql.SQL(
            "CREATE UNLOGGED TABLE IF NOT EXISTS {} (client_id text PRIMARY KEY, "
            "tokens double precision NOT NULL, updated_at timestamptz NOT NULL, granted boolean NOT NULL)"
        ).format(table)
    ]


class ClientBudget:
    """Allows `rate` requests per second per client on average and bursts of up to `burst`, across every
    process and host that shares the database: each request takes a token in one atomic statement."""

    def __init__(self, datastore: PostgresDatastore, schema: str, rate: float, burst: int) -> None:
        self.datastore = datastore
        self.rate = rate
        self.burst = burst
        table = sql.Identifier(schema, TABLE) if schema else sql.Identifier(TABLE)
        self._take = sql.SQL(
            "INSERT INTO {table} AS b (client_id, tokens, updated_at, granted) "
            "VALUES (%(key)s, %(burst)s - 1, now(), true) "
            "ON CONFLICT (client_id) DO UPDATE SET "
            "tokens = CASE WHEN {refilled} >= 1 THEN {refilled} - 1 ELSE {refilled} END, "
            "updated_at = greatest(b.updated_at, now()), granted = {refilled} >= 1 "
            "RETURNING tokens, granted"
        ).format(table=table, refilled=sql.SQL(REFILLED))

    def take(self, key: str) -> float:
        """Take one of `key`'s tokens: 0 when taken, else the seconds until one is there (none taken)."""
        if self.rate <= 0:
            return 0.0
        params = {"key": key, "rate": self.rate, "burst": float(self.burst)}
        with self.datastore.transaction(commit=True) as curs:
            curs.execute(self._take, params, prepare=True)
            row = curs.fetchone()
        assert row is not None
        if row["granted"]:
            return 0.0
        return (1 - float(row["tokens"])) / self.rate
