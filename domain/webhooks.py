"""A client's webhook subscriptions: where its changes are delivered, which ones, and whether they go."""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass, replace
from datetime import datetime
from urllib.parse import urlsplit
from uuid import UUID, uuid5

from eventsourcing.domain import event

from domain.base import LedgerAggregate
from domain.errors import ConflictError, InvalidInputError, NotFoundError

_CLIENT_WEBHOOKS = UUID("0d7a1c3e-58f4-4d0b-9b7e-2f6c1a9e4b21")
MAX_SUBSCRIPTIONS = 10
MAX_URL_LENGTH = 2048
MAX_REASON_LENGTH = 500
ACTIVE, DISABLED = "active", "disabled"
LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain"})
UNSAFE = re.compile(r"[\s\x00-\x1f\x7f]")


class WebhookNotFoundError(NotFoundError):
    """Raised when the client has no webhook subscription with the id given."""


class InvalidWebhookUrlError(InvalidInputError):
    """Raised when a webhook URL is malformed, not https, or names an address that is not allowed."""


class TooManyWebhooksError(ConflictError):
    """Raised when the client already has as many webhook subscriptions as a client may have."""


def client_webhooks_id(client_id: UUID) -> UUID:
    return uuid5(_CLIENT_WEBHOOKS, str(client_id))


def _is_loopback(host: str) -> bool:
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_webhook_url(url: str, allow_loopback: bool) -> str:
    """The URL, when deliveries may go to it: https, or a loopback address (http or https) where allowed.

    An address given as a private, link-local or otherwise non-public IP is refused, so a subscription
    cannot point the ledger at its own network; credentials and fragments in the URL are refused too.
    """
    if len(url) > MAX_URL_LENGTH or UNSAFE.search(url):
        raise InvalidWebhookUrlError(f"url must be at most {MAX_URL_LENGTH} characters, without spaces.")
    try:
        parts = urlsplit(url)
        host, _ = parts.hostname or "", parts.port
    except ValueError:
        raise InvalidWebhookUrlError("url is not a valid URL.") from None
    if parts.scheme not in ("https", "http") or not host:
        raise InvalidWebhookUrlError("url must be an absolute https URL.")
    if parts.username is not None or parts.password is not None or parts.fragment:
        raise InvalidWebhookUrlError("url must not hold credentials or a fragment.")
    if _is_loopback(host):
        if not allow_loopback:
            raise InvalidWebhookUrlError(
                "url names a loopback address, which this ledger does not deliver to."
            )
        return url
    if parts.scheme != "https":
        raise InvalidWebhookUrlError("url must use https.")
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return url
    if not address.is_global:
        raise InvalidWebhookUrlError("url names an address that is not public.")
    return url


@dataclass(frozen=True)
class WebhookSubscription:
    """Where and which changes go; the secret only encrypted, as the deliveries need it to sign."""

    id: UUID
    url: str
    types: tuple[str, ...]
    secret_ciphertext: str
    created_at: datetime
    status: str = ACTIVE
    disabled_reason: str | None = None
    disabled_at: datetime | None = None


class ClientWebhooks(LedgerAggregate):
    """One client's webhook subscriptions, in the order they were made; at most MAX_SUBSCRIPTIONS."""

    class Started(LedgerAggregate.Created):
        client_id: UUID

    class Subscribed(LedgerAggregate.Event):
        subscription_id: UUID
        client_id: UUID
        url: str
        types: list[str]
        secret_ciphertext: str

    class Unsubscribed(LedgerAggregate.Event):
        subscription_id: UUID

    class Disabled(LedgerAggregate.Event):
        subscription_id: UUID
        reason: str

    class Enabled(LedgerAggregate.Event):
        subscription_id: UUID

    class RedeliveryRequested(LedgerAggregate.Event):
        subscription_id: UUID
        delivery_id: UUID

    @staticmethod
    def create_id(client_id: UUID, **_: object) -> UUID:
        return client_webhooks_id(client_id)

    @event(Started)
    def __init__(self, client_id: UUID, meta: dict[str, str]) -> None:
        self.client_id = client_id
        self.subscriptions: dict[UUID, WebhookSubscription] = {}

    def get(self, subscription_id: UUID) -> WebhookSubscription:
        found = self.subscriptions.get(subscription_id)
        if found is None:
            raise WebhookNotFoundError(f"Webhook {subscription_id} was not found.")
        return found

    def subscribe(
        self, subscription_id: UUID, url: str, types: list[str], secret_ciphertext: str, meta: dict[str, str]
    ) -> None:
        if len(self.subscriptions) >= MAX_SUBSCRIPTIONS:
            raise TooManyWebhooksError(
                f"A client has at most {MAX_SUBSCRIPTIONS} webhooks; delete one to add another."
            )
        self._subscribe(
            subscription_id=subscription_id,
            client_id=self.client_id,
            url=url,
            types=list(dict.fromkeys(types)),
            secret_ciphertext=secret_ciphertext,
            meta=meta,
        )

    def unsubscribe(self, subscription_id: UUID, meta: dict[str, str]) -> None:
        self.get(subscription_id)
        self._unsubscribe(subscription_id=subscription_id, meta=meta)

    def disable(self, subscription_id: UUID, reason: str, meta: dict[str, str]) -> bool:
        """Stop deliveries, saying why; False (no event) when it is gone or disabled already."""
        found = self.subscriptions.get(subscription_id)
        if found is None or found.status == DISABLED:
            return False
        self._disable(subscription_id=subscription_id, reason=reason[:MAX_REASON_LENGTH], meta=meta)
        return True

    def enable(self, subscription_id: UUID, meta: dict[str, str]) -> bool:
        """Deliver again; False (no event) when it is active already."""
        if self.get(subscription_id).status == ACTIVE:
            return False
        self._enable(subscription_id=subscription_id, meta=meta)
        return True

    def request_redelivery(self, subscription_id: UUID, delivery_id: UUID, meta: dict[str, str]) -> None:
        """Deliver one delivery of the subscription again, after those queued now."""
        self.get(subscription_id)
        self._redeliver(subscription_id=subscription_id, delivery_id=delivery_id, meta=meta)

    @event(Subscribed)
    def _subscribe(
        self,
        subscription_id: UUID,
        client_id: UUID,
        url: str,
        types: list[str],
        secret_ciphertext: str,
        meta: dict[str, str],
    ) -> None:
        at = datetime.fromisoformat(meta["recordedAt"])
        self.subscriptions[subscription_id] = WebhookSubscription(
            subscription_id, url, tuple(types), secret_ciphertext, at
        )

    @event(Unsubscribed)
    def _unsubscribe(self, subscription_id: UUID, meta: dict[str, str]) -> None:
        del self.subscriptions[subscription_id]

    @event(Disabled)
    def _disable(self, subscription_id: UUID, reason: str, meta: dict[str, str]) -> None:
        at = datetime.fromisoformat(meta["recordedAt"])
        disabled = replace(self.subscriptions[subscription_id], status=DISABLED, disabled_reason=reason)
        self.subscriptions[subscription_id] = replace(disabled, disabled_at=at)

    @event(Enabled)
    def _enable(self, subscription_id: UUID, meta: dict[str, str]) -> None:
        enabled = replace(self.subscriptions[subscription_id], status=ACTIVE, disabled_reason=None)
        self.subscriptions[subscription_id] = replace(enabled, disabled_at=None)

    @event(RedeliveryRequested)
    def _redeliver(self, subscription_id: UUID, delivery_id: UUID, meta: dict[str, str]) -> None:
        pass  # the outbox view queues the delivery again; the subscription itself does not change
