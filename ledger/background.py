"""The background work of a process that keeps the views: one elected worker per view and per periodic job."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import ExitStack
from datetime import timedelta
from typing import TYPE_CHECKING

from ledger.change_retention import ChangeRetention
from ledger.checkpointer import Checkpointer, load_checkpoint_key
from ledger.election import Elector, Role, Worker
from ledger.payments.expiry import PaymentExpiry
from ledger.pool_check import use_check_if_signalled
from ledger.webhooks.delivery import delivery_worker
from projections.payment_holds import PaymentHoldsView
from projections.registry import VIEWS
from projections.runner import ProjectionSupervisor

if TYPE_CHECKING:
    from ledger.runtime import Runtime

RETENTION, CHECKPOINTER, PAYMENT_EXPIRY = "change-retention", "checkpointer", "payment-expiry"


def projection_role(view_name: str) -> str:
    """The role of a view's projection runner, as elections and /metrics name it."""
    return f"projection:{view_name}"


def _role(name: str, worker: Worker) -> Role:
    # One worker object per process, started at each term won and stopped when the term ends.
    return Role(name, lambda: worker)


def start_background(runtime: Runtime, stack: ExitStack, announce: Callable[[str], None]) -> None:
    """Start, on `stack`, the elector of every view's runner and periodic job, and the delivery worker."""
    settings, ledger, clock = runtime.settings, runtime.ledger, runtime.clock
    failures = runtime.runner_failures
    failures.update({view.name: 0 for view in VIEWS})
    # A runner takes a connection for each page it reads and each it writes: a ping before each cost about
    # a third of a busy projection process, so runners check their pools as requests do.
    runners_pool_check = None if settings.pool_ping_on_checkout else use_check_if_signalled
    roles = [
        _role(
            projection_role(view.name),
            ProjectionSupervisor(runtime.env, [view], failures=failures, adapt_pool=runners_pool_check),
        )
        for view in VIEWS
    ]
    # Retention is measured on the wall clock: an injected clock that runs ahead must not prune.
    assert runtime.delivery_log is not None
    retention = ChangeRetention(
        runtime.changes,
        runtime.wall_clock,
        timedelta(days=settings.change_retention_days),
        settings.change_retention_interval_seconds,
        runtime.delivery_log.prune,
    )
    roles.append(_role(RETENTION, retention))
    # Checkpoints are signed where the views are kept, with a key from outside the database.
    runtime.checkpointer = Checkpointer(
        ledger,
        load_checkpoint_key(settings, announce),
        clock,
        settings.checkpoint_interval_seconds,
        settings.checkpoint_max_events,
    )
    roles.append(_role(CHECKPOINTER, runtime.checkpointer))
    # Unpaid bookings expire where the views are kept; only a provider makes bookings that can.
    if runtime.payments is not None:
        runtime.payment_expiry = PaymentExpiry(
            ledger, runtime.view(PaymentHoldsView), clock, settings.payment_expiry_interval_seconds
        )
        roles.append(_role(PAYMENT_EXPIRY, runtime.payment_expiry))
    runtime.elector = Elector(runtime.database_url, settings.db_schema, roles, settings.connect_timeout)
    runtime.elector.start()
    stack.callback(runtime.elector.stop)
    # The delivery worker elects itself the same way, on the connection it delivers with.
    assert runtime.webhook_keys is not None
    runtime.delivery_worker = delivery_worker(
        settings, runtime.database_url, ledger, runtime.changes, runtime.webhook_keys, clock
    )
    runtime.delivery_worker.start()
    stack.callback(runtime.delivery_worker.stop)
