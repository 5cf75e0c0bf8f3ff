"""The running ledger: database, application service, views, projection runners and the admin token."""

from __future__ import annotations

import hashlib
import os
import secrets
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TypeVar

from eventsourcing.postgres import PostgresApplicationRecorder

from domain.application import Ledger
from ledger.background import start_background
from ledger.checkpointer import Checkpointer
from ledger.client_budget import ClientBudget
from ledger.console_sessions import ConsoleSessions
from ledger.database_monitor import DatabaseMonitor
from ledger.election import Elector
from ledger.embedded import embedded_postgres
from ledger.idempotency_store import IdempotencyKeys
from ledger.logs import announcer
from ledger.numbers import PostgresNumbers
from ledger.payments.expiry import PaymentExpiry
from ledger.payments.provider import PaymentProvider, configured_provider
from ledger.personal_data.vault import (
    VAULT_ENV,
    Vault,
    new_vault_token,
    register_vault,
    resolve_master_keys,
    unregister_vault,
)
from ledger.pool_check import use_check_if_signalled
from ledger.settings import Settings
from ledger.storage import ensure_schema, eventsourcing_env, tables_setup_lock, wait_for_database
from ledger.webhooks.log import DeliveryLog
from ledger.webhooks.secrets import WebhookSecretKeys, resolve_webhook_secret_keys
from ledger.webhooks.worker import DeliveryWorker
from projections.bookings import BookingsView
from projections.changes.view import ChangesView
from projections.court_bookings import CourtBookingsView
from projections.registry import VIEWS
from projections.tables import TrackedView

ADMIN_TOKEN_FILE = "admin-token"  # noqa: S105 - a file name, not a secret
# How long a process starting during a database outage waits for it before its start-up fails.
STARTUP_DATABASE_WAIT_SECONDS = 60.0
View = TypeVar("View", bound=TrackedView)


def utc_now() -> datetime:
    return datetime.now(UTC)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass
class Runtime:
    """Everything a request or a CLI command needs, opened once per process."""

    settings: Settings
    database_url: str
    env: dict[str, str]
    ledger: Ledger
    admin_token_hash: str
    admin_token_file: Path | None
    clock: Callable[[], datetime] = utc_now
    elector: Elector | None = None
    """Where this process keeps views: the election of one runner per view and per periodic job."""
    runner_failures: dict[str, int] = field(default_factory=dict)
    """Restarts of this process's runners after an error, per view."""
    database: DatabaseMonitor | None = None
    views: dict[str, TrackedView] = field(default_factory=dict)
    """Every view of projections.registry.VIEWS, by name, on the ledger's connection pool."""
    payments: PaymentProvider | None = None
    """The payment provider (None: no venue takes payment online); the ledger holds it as its port too."""
    payment_expiry: PaymentExpiry | None = None
    webhook_keys: WebhookSecretKeys | None = None
    """The keys that seal and open webhook secrets."""
    delivery_log: DeliveryLog | None = None
    delivery_worker: DeliveryWorker | None = None
    checkpointer: Checkpointer | None = None
    wall_clock: Callable[[], datetime] = utc_now
    vault: Vault | None = None
    """The personal data keys (ledger/personal_data)."""

    def view(self, view_class: type[View]) -> View:
        found = self.views[view_class.name]
        if not isinstance(found, view_class):
            raise TypeError(f"The view {view_class.name!r} is a {type(found).__name__}.")
        return found

    @property
    def court_bookings(self) -> CourtBookingsView:
        return self.view(CourtBookingsView)

    @property
    def bookings(self) -> BookingsView:
        return self.view(BookingsView)

    @property
    def changes(self) -> ChangesView:
        return self.view(ChangesView)

    def idempotency_keys(self) -> IdempotencyKeys:
        """The store of Idempotency-Keys, on the ledger's own connection pool."""
        return IdempotencyKeys(
            self.court_bookings.datastore,
            self.settings.idempotency_wait_seconds,
            self.settings.idempotency_lease_seconds,
        )

    def client_budget(self, rate: float, burst: int) -> ClientBudget:
        """Clients' request budgets, in the database so that every API process and host shares them."""
        return ClientBudget(self.court_bookings.datastore, self.settings.db_schema, rate, burst)

    def console_sessions(self) -> ConsoleSessions:
        """The console's sign-in sessions, on the ledger's own connection pool."""
        lifetime = timedelta(hours=self.settings.console_session_hours)
        return ConsoleSessions(self.court_bookings.datastore, self.settings.db_schema, lifetime)

    def reported_position(self, written: int | None) -> int:
        """The X-Ledger-Position of a write: its last event's, or the log head when it wrote nothing."""
        if written is not None:
            return written
        return self.ledger.recorder.max_notification_id() or 0


def resolve_admin_token(settings: Settings, announce: Callable[[str], None]) -> tuple[str, Path | None]:
    """The admin token's hash and the file that holds it (None when set in the environment).

    Without LEDGER_ADMIN_TOKEN, the first start generates a token, saves it owner-only, and prints it once.
    """
    if settings.admin_token is not None:
        return hash_token(settings.admin_token.get_secret_value()), None
    path = settings.data_dir / ADMIN_TOKEN_FILE
    if path.exists():
        return hash_token(path.read_text().strip()), path
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    token = secrets.token_urlsafe(32)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        handle.write(token + "\n")
    if settings.log_format == "json":
        # Log collectors keep every line: there, the token stays in its file only.
        announce(f"Generated an admin token (saved in {path}; not written to the log).")
    else:
        announce(f"Generated an admin token (shown once; saved in {path}): {token}")
    return hash_token(token), path


@contextmanager
def open_runtime(
    settings: Settings,
    *,
    run_projections: bool | None = None,
    clock: Callable[[], datetime] = utc_now,
    announce: Callable[[str], None] | None = None,
) -> Iterator[Runtime]:
    """Open the database (embedded when no URL is set), the ledger and its views; close them on exit."""
    with ExitStack() as stack:
        database_url = settings.database_url
        if database_url is None:
            database_url = stack.enter_context(embedded_postgres(settings.data_dir))
        wait_for_database(database_url, STARTUP_DATABASE_WAIT_SECONDS)
        ensure_schema(database_url, settings.db_schema)
        vault_token = new_vault_token()
        env = {**eventsourcing_env(database_url, settings), VAULT_ENV: vault_token}
        setup_lock = stack.enter_context(tables_setup_lock(database_url))
        ledger = Ledger(env=env, numbers=PostgresNumbers)
        ledger.command_attempts = settings.command_retries
        ledger.key_checks.seconds = settings.api_key_recheck_seconds
        ledger.payments = payments = configured_provider(settings)
        ledger.payment_hold = timedelta(minutes=settings.payment_hold_minutes)
        ledger.webhook_loopback_allowed = settings.webhook_allow_loopback
        ledger.email_configured = settings.smtp_host is not None
        stack.callback(ledger.close)
        recorder = ledger.recorder
        if not isinstance(recorder, PostgresApplicationRecorder):
            raise TypeError("The ledger runs on PostgreSQL only.")
        if not settings.pool_ping_on_checkout:
            use_check_if_signalled(recorder.datastore.pool)
        runtime_vault = Vault(
            recorder.datastore, resolve_master_keys(settings), settings.personal_data_cache_seconds
        )
        register_vault(vault_token, runtime_vault)
        ledger.fingerprint_key = runtime_vault.fingerprint_key
        stack.callback(unregister_vault, vault_token)
        views = {}
        for view_class in VIEWS:
            view = view_class(datastore=recorder.datastore, tracking_table_name=f"{view_class.name}_tracking")
            view.create_table()
            views[view_class.name] = view
        setup_lock.release()
        announce = announce or announcer(settings)
        token_hash, token_file = resolve_admin_token(settings, announce)
        runtime = Runtime(settings, database_url, env, ledger, token_hash, token_file, clock, views=views)
        runtime.payments = payments
        runtime.vault = runtime_vault
        runtime.webhook_keys = resolve_webhook_secret_keys(settings)
        runtime.delivery_log = DeliveryLog(runtime.changes)
        runtime.database = DatabaseMonitor(database_url, [recorder.datastore.pool])
        runtime.database.start()
        stack.callback(runtime.database.stop)
        if settings.run_projections if run_projections is None else run_projections:
            start_background(runtime, stack, announce)
        yield runtime
