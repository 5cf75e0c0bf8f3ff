"""The ledger's own metrics, read when scraped: views' lag behind the log, pool usage, retries, runners."""

from __future__ import annotations

import logging
from collections.abc import Iterator

from eventsourcing.postgres import PostgresApplicationRecorder
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from ledger.background import projection_role
from ledger.runtime import Runtime
from ledger.storage_errors import DATABASE_UNAVAILABLE_ERRORS
from ledger.webhooks.worker import DELIVERY_ROLE
from projections.safe_log import safe_log

log = logging.getLogger("ledger.metrics")

# psycopg_pool's statistics by their keys: gauges of the pool as it is now, counters since it opened.
POOL_GAUGES = {
    "pool_min": ("ledger_db_pool_min", "Connections the pool keeps at least."),
    "pool_max": ("ledger_db_pool_max", "Connections the pool may open at most."),
    "pool_size": ("ledger_db_pool_size", "Connections open now, in use or idle."),
    "pool_available": ("ledger_db_pool_available", "Idle connections now."),
    "requests_waiting": ("ledger_db_pool_requests_waiting", "Requests waiting for a connection now."),
}
POOL_COUNTERS = {
    "requests_num": ("ledger_db_pool_requests", "Connections handed out."),
    "requests_queued": ("ledger_db_pool_requests_queued", "Requests that had to wait for a connection."),
    "requests_errors": ("ledger_db_pool_requests_errors", "Requests that got no connection in time."),
    "connections_errors": ("ledger_db_pool_connection_errors", "Failed attempts to open a connection."),
    "connections_lost": ("ledger_db_pool_connections_lost", "Connections found broken and discarded."),
}

LAG_WAIT_SECONDS = 0.5


def view_lags(runtime: Runtime) -> dict[str, int]:
    """Each view's distance behind the log's safe head, in positions; raises the storage's error when it is
    down."""
    # Positions first, then the head: a view moving meanwhile is seen at most a little behind, never ahead.
    # The head is the safe position: what a view can have read by now. It waits up to LAG_WAIT_SECONDS for the
    # last appends of a quiet moment to count, else counts to the older appends' floor.
    positions = {name: view.position() for name, view in runtime.views.items()}
    head = safe_log(runtime.ledger.recorder).safe_position(wait=LAG_WAIT_SECONDS)
    return {name: max(head - position, 0) for name, position in positions.items()}


def runs_runner(runtime: Runtime, view: str) -> bool:
    """Whether this process runs the view's projection runner: it is the one elected to."""
    return runtime.elector is not None and runtime.elector.holds(projection_role(view))


def elected_roles(runtime: Runtime) -> dict[str, bool]:
    """Every background role this process takes part in the election of, and whether it holds it now."""
    if runtime.elector is None:
        return {}
    held = set(runtime.elector.held())
    roles = {role.name: role.name in held for role in runtime.elector.roles.values()}
    if runtime.delivery_worker is not None:
        roles[DELIVERY_ROLE] = runtime.delivery_worker.leading.is_set()
    return roles


class LedgerCollector(Collector):
    """Metrics read from the runtime at scrape time, so that serving a request does no work for them."""

    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime

    def describe(self) -> list[Metric]:
        return []  # collected only when scraped, not when registered

    def collect(self) -> Iterator[Metric]:
        runtime = self.runtime
        yield from self._retries()
        yield from self._pool()
        runner = GaugeMetricFamily(
            "ledger_projection_runner_active", "1 where this process runs the view's runner.", labels=["view"]
        )
        failures = CounterMetricFamily(
            "ledger_projection_runner_failures", "Runner restarts after an error, per view.", labels=["view"]
        )
        for name in runtime.views:
            runner.add_metric([name], 1 if runs_runner(runtime, name) else 0)
            if name in runtime.runner_failures:
                failures.add_metric([name], runtime.runner_failures[name])
        yield runner
        yield failures
        elected = GaugeMetricFamily(
            "ledger_elected", "1 where this process holds the role's election, else 0.", labels=["role"]
        )
        for role, held in elected_roles(runtime).items():
            elected.add_metric([role], 1 if held else 0)
        yield elected
        up = runtime.database is None or runtime.database.available
        lags: dict[str, int] = {}
        if up:
            try:
                lags = view_lags(runtime)
            except DATABASE_UNAVAILABLE_ERRORS as error:
                log.warning("metrics: the views' positions could not be read: %s", type(error).__name__)
                up = False
        yield GaugeMetricFamily("ledger_database_up", "1 while the database answers.", value=1 if up else 0)
        lag = GaugeMetricFamily(
            "ledger_projection_lag_events", "Events the view is behind the log's head.", labels=["view"]
        )
        for name, behind in lags.items():
            lag.add_metric([name], behind)
        yield lag

    def _retries(self) -> Iterator[Metric]:
        retries = self.runtime.ledger.retries
        yield CounterMetricFamily(
            "ledger_command_retries", "Commands run again after losing a version race.", value=retries.retried
        )
        yield CounterMetricFamily(
            "ledger_command_retries_exhausted",
            "Commands that lost every attempt and answered write contention.",
            value=retries.exhausted,
        )

    def _pool(self) -> Iterator[Metric]:
        recorder = self.runtime.ledger.recorder
        if not isinstance(recorder, PostgresApplicationRecorder):
            return
        stats = recorder.datastore.pool.get_stats()  # psycopg_pool leaves out counters still at zero
        for key, (name, help_text) in POOL_GAUGES.items():
            yield GaugeMetricFamily(name, help_text, value=stats.get(key, 0))
        for key, (name, help_text) in POOL_COUNTERS.items():
            yield CounterMetricFamily(name, help_text, value=stats.get(key, 0))
        yield CounterMetricFamily(
            "ledger_db_pool_wait_seconds",
            "Time requests spent waiting for a connection.",
            value=stats.get("requests_wait_ms", 0) / 1000,
        )
