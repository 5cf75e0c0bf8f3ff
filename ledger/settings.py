"""The one settings object: everything the ledger reads from its environment."""

from __future__ import annotations

from ipaddress import IPv4Network, IPv6Network, ip_network
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import NoDecode, SettingsConfigDict

from ledger.oauth_keys import parse_signing_keys
from ledger.settings_smtp import SmtpSettings
from ledger.settings_webhooks import WebhookDeliverySettings
from ledger.slot_keys import parse_slot_keys


class Settings(SmtpSettings, WebhookDeliverySettings):
    """Configuration read from `LEDGER_*` environment variables."""

    # Inputs stay out of validation errors: some of them are secrets.
    model_config = SettingsConfigDict(env_prefix="LEDGER_", extra="ignore", hide_input_in_errors=True)

    database_url: str | None = Field(
        default=None, description="PostgreSQL URL; unset starts the embedded PostgreSQL in data_dir."
    )
    data_dir: Path = Field(
        default=Path(".ledger"), description="Embedded database and generated admin token."
    )
    admin_token: SecretStr | None = Field(default=None, description="Bearer token of the admin API.")
    db_schema: str = Field(default="", description="PostgreSQL schema for all tables; empty means public.")
    pool_size: int = Field(default=16, ge=1, le=512, description="Connections kept for requests.")
    pool_max_overflow: int = Field(default=16, ge=0, le=512)
    pool_ping_on_checkout: bool = Field(
        default=False,
        description="Ping every pooled connection before use (a round trip each); otherwise only one whose "
        "server sent something while it idled.",
    )
    connect_timeout: int = Field(default=3, ge=1, le=60, description="Seconds to wait for a connection.")
    max_body_bytes: int = Field(default=1024 * 1024, ge=1024)
    max_header_bytes: int = Field(
        default=16 * 1024, ge=1024, description="Total size of a request's headers."
    )
    command_retries: int = Field(default=10, ge=1, le=100, description="Attempts on a version conflict.")
    consistency_wait_seconds: float = Field(default=5.0, ge=0, le=30)
    consistency_max_waiters: int = Field(
        default=1000, ge=1, description="Requests that may wait for a view at once; more answer 503."
    )
    idempotency_wait_seconds: float = Field(
        default=5.0, ge=0, le=60, description="How long a retry waits for the first request with its key."
    )
    idempotency_lease_seconds: float = Field(
        default=60.0,
        ge=1,
        le=3600,
        description="After this long, a key's unfinished request counts as dead; a retry runs it again.",
    )
    rate_limit_per_second: float = Field(
        default=1000.0,
        ge=0,
        description="Average requests per second allowed per client; 0 disables the limit.",
    )
    rate_limit_burst: int = Field(default=2000, ge=1, description="Requests a client may send at once.")
    api_key_recheck_seconds: float = Field(
        default=1.0,
        ge=0,
        le=60,
        description="How long a key found unrevoked is trusted before the log is read again: a revocation "
        "saved by another process takes effect within it, one saved here at once; 0: every request.",
    )
    failed_auth_per_second: float = Field(
        default=10.0,
        ge=0,
        description="Failed authentications allowed per client address and second; 0 disables the limit.",
    )
    failed_auth_burst: int = Field(
        default=500, ge=1, description="Failed authentications an address may make at once before 429."
    )
    admin_rate_limit_per_second: float = Field(
        default=100.0, ge=0, description="Admin calls allowed per client address and second; 0 disables."
    )
    admin_rate_limit_burst: int = Field(
        default=1000, ge=1, description="Admin calls an address may make at once."
    )
    # One API process runs Python on one core at a time: beyond a few requests, one client's extra concurrency
    # adds no throughput and only takes time from every other client's requests.
    max_inflight_per_client: int = Field(
        default=4,
        ge=0,
        description="Requests one credential may have in flight at once; more wait their turn. 0 disables.",
    )
    inflight_wait_seconds: float = Field(
        default=10.0,
        ge=0,
        le=60,
        description="How long a request waits for one of its credential's places before it answers 429.",
    )
    run_projections: bool = Field(default=True, description="Run the projection runners inside `serve`.")
    projection_processes: int | None = Field(
        default=None,
        ge=0,
        le=8,
        description="`ledger projections run` processes that `serve` starts beside its workers (0: the "
        "runners run in the workers); by default 0 with one worker and 2 with more.",
    )
    log_format: Literal["text", "json"] = Field(
        default="text", description="`json`: one JSON object per log line, with the request's ids."
    )
    metrics_networks: Annotated[tuple[IPv4Network | IPv6Network, ...], NoDecode] = Field(
        default=(),
        description="Address ranges (CIDR, separated by commas) that read /metrics without the admin token.",
    )
    ready_max_lag: int = Field(
        default=1000, ge=0, description="Events a view may be behind the log while /ready answers 200."
    )
    ready_timeout_seconds: float = Field(
        default=2.0, gt=0, le=30, description="Longest time /ready takes; past it, it answers 503."
    )

    @field_validator("metrics_networks", mode="before")
    @classmethod
    def _networks_from_list(cls, value: Any) -> Any:
        if isinstance(value, str):
            return tuple(ip_network(part.strip()) for part in value.split(",") if part.strip())
        return value

    oauth_signing_keys: SecretStr | None = Field(
        default=None,
        description="OAuth token keys, `kid:secret` separated by commas: the first signs, all verify. "
        "Unset: one is generated into data_dir.",
    )
    personal_data_keys: SecretStr | None = Field(
        default=None,
        description="Master keys of the personal data keys, `kid:secret` separated by commas: the first "
        "seals, all open. Unset: derived from the OAuth signing keys.",
    )
    personal_data_cache_seconds: float = Field(
        default=5, ge=0, le=300, description="How long a process keeps a person's opened data key."
    )
    slot_signing_keys: SecretStr | None = Field(
        default=None,
        description="Booking slot id keys, secrets separated by commas: the first signs, all verify. "
        "Unset: derived from the OAuth signing keys.",
    )

    @field_validator("oauth_signing_keys", "webhook_secret_keys", "personal_data_keys")
    @classmethod
    def _signing_keys_parse(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None:
            parse_signing_keys(value.get_secret_value())
        return value

    stripe_secret_key: SecretStr | None = Field(
        default=None, description="Stripe secret key; unset, no venue takes payment online."
    )
    stripe_publishable_key: str | None = Field(
        default=None, max_length=255, description="Stripe publishable key, handed to clients with an intent."
    )
    stripe_webhook_secret: SecretStr | None = Field(
        default=None, description="Signing secret of the Stripe webhook endpoint (`whsec_...`)."
    )
    stripe_api_base: str | None = Field(
        default=None,
        pattern=r"^https?://[^\s]+$",
        description="Base URL of Stripe's API; unset: Stripe's own.",
    )
    payment_hold_minutes: int = Field(
        default=15,
        ge=1,
        le=24 * 60,
        description="How long an unpaid booking holds its slot where paid online.",
    )
    payment_expiry_interval_seconds: float = Field(
        default=5.0, gt=0, le=300, description="How often unpaid bookings past their hold are looked for."
    )

    change_retention_days: float = Field(
        default=30,
        gt=0,
        le=3650,
        description="How long the change feed keeps a change; older cursors get 410.",
    )
    change_retention_interval_seconds: float = Field(
        default=60, gt=0, le=86400, description="How often changes past the retention are pruned."
    )
    feed_max_waiters: int = Field(
        default=1000, ge=1, description="Feed requests that may long-poll at once; more answer 503."
    )
    console_session_hours: float = Field(
        default=8.0,
        gt=0,
        le=168,
        description="How long a console sign-in lasts before it asks for the key again.",
    )
    console_secure_cookie: bool = Field(
        default=True,
        description="Mark the console's cookies Secure; browsers keep them on https and on localhost.",
    )

    webhook_allow_loopback: bool = Field(
        default=False,
        description="Let webhook subscriptions name loopback addresses: for local development only.",
    )
    webhook_secret_keys: SecretStr | None = Field(
        default=None,
        description="Keys of webhook secrets, `kid:secret` separated by commas: the first encrypts, "
        "all decrypt. Unset: derived from the OAuth signing keys.",
    )
    checkpoint_key_file: Path | None = Field(
        default=None,
        description="PEM file of the Ed25519 key that signs checkpoints, kept outside the database. "
        "Unset: generated on first start into data_dir/checkpoint-signing-key.pem.",
    )
    checkpoint_interval_seconds: float = Field(
        default=60.0, gt=0, le=86400, description="How often `serve` takes signed checkpoints of new events."
    )
    checkpoint_max_events: int = Field(
        default=100_000, ge=1, le=10_000_000, description="Events one checkpoint covers at most."
    )

    @model_validator(mode="after")
    def _stripe_keys_together(self) -> Settings:
        keys = (self.stripe_secret_key, self.stripe_publishable_key, self.stripe_webhook_secret)
        if any(key is not None for key in keys) and any(key is None for key in keys):
            raise ValueError(
                "LEDGER_STRIPE_SECRET_KEY, LEDGER_STRIPE_PUBLISHABLE_KEY and "
                "LEDGER_STRIPE_WEBHOOK_SECRET are set together or not at all."
            )
        return self

    @field_validator("slot_signing_keys")
    @classmethod
    def _slot_keys_parse(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None:
            parse_slot_keys(value.get_secret_value())
        return value
