"""Each client's request budget in PostgreSQL: one token bucket per client, shared by every API process."""

from __future__ import annotations

from eventsourcing.postgres import PostgresDatastore
from psycopg import sql

TABLE = "client_rate_buckets"
# The bucket refilled up to now: `now()` is one instant for the whole statement, and a statement whose
# transaction began before the row's last update refills nothing rather than a negative amount.
# Tokens given back by a lease that ended unused are added before the cap, as if never taken.
REFILLED = (
    "least(%(burst)s, b.tokens + %(back)s + greatest(0, extract(epoch FROM now() - b.updated_at)) * %(rate)s)"
)


def table_ddl(schema: str) -> list[sql.Composed]:
    """The buckets table. Unlogged: a crash of the database forgets the buckets, and clients start full.
    `taken` is how many tokens the row's last take granted (a lease may take several)."""
    table = sql.Identifier(schema, TABLE) if schema else sql.Identifier(TABLE)
    return [
        sql.SQL(
            "CREATE UNLOGGED TABLE IF NOT EXISTS {} (client_id text PRIMARY KEY, "
            "tokens double precision NOT NULL, updated_at timestamptz NOT NULL, granted boolean NOT NULL)"
        ).format(table),
        sql.SQL("ALTER TABLE {} ADD COLUMN IF NOT EXISTS taken integer NOT NULL DEFAULT 0").format(table),
    ]


class ClientBudget:
    """Allows `rate` requests per second per client on average and bursts of up to `burst`, across every
    process and host that shares the database: each take is one atomic statement."""

    def __init__(self, datastore: PostgresDatastore, schema: str, rate: float, burst: int) -> None:
        self.datastore = datastore
        self.rate = rate
        self.burst = burst
        table = sql.Identifier(schema, TABLE) if schema else sql.Identifier(TABLE)
        taking = sql.SQL("least(%(want)s, greatest(0, floor({refilled})))::integer").format(
            refilled=sql.SQL(REFILLED)
        )
        self._take = sql.SQL(
            "INSERT INTO {table} AS b (client_id, tokens, updated_at, granted, taken) "
            "VALUES (%(key)s, %(burst)s - %(want)s, now(), true, %(want)s) "
            "ON CONFLICT (client_id) DO UPDATE SET "
            "tokens = {refilled} - {taking}, updated_at = greatest(b.updated_at, now()), "
            "granted = {taking} >= 1, taken = {taking} "
            "RETURNING tokens, taken"
        ).format(table=table, refilled=sql.SQL(REFILLED), taking=taking)

    def take(self, key: str) -> float:
        """Take one of `key`'s tokens: 0 when taken, else the seconds until one is there (none taken)."""
        return self.lease(key, 1, 0)[1]

    def lease(self, key: str, want: int, returned: int) -> tuple[int, float]:
        """Give back `returned` unused tokens and take up to `want` (at most the burst) in one statement:
        how many were taken, and when none, the seconds until one is there."""
        if self.rate <= 0:
            return want, 0.0
        params = {"key": key, "rate": self.rate, "burst": float(self.burst), "want": want, "back": returned}
        with self.datastore.transaction(commit=True) as curs:
            curs.execute(self._take, params, prepare=True)
            row = curs.fetchone()
        assert row is not None
        if row["taken"]:
            return int(row["taken"]), 0.0
        return 0, (1 - float(row["tokens"])) / self.rate
