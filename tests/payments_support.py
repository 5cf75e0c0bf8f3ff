"""Givens of payment tests on PostgreSQL: a runtime paying through the Stripe stand-in, and courts."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from pydantic import SecretStr

from domain.context import ADMIN, Principal, RequestContext
from domain.resource_booking import ResourceBooking
from ledger.payments.expiry import PaymentExpiry
from ledger.runtime import Runtime, open_runtime
from ledger.settings import Settings
from projections.payment_holds import PaymentHoldsView
from tests.unit.availability_support import BERLIN, SEED_HOURS, berlin, rules

WEBHOOK_SECRET = "whsec_test_ledger"
ACCOUNT = "acct_1VenueAccount"
HOLD = timedelta(minutes=15)
VIEW_WAIT_SECONDS = 20
RULES = rules(prevent_unbookable_gaps=False)


SECRET_KEY, PUBLISHABLE_KEY = "sk_test_ledger", "pk_test_ledger"


def paid_settings(settings: Settings, stripe_url: str, **changes: Any) -> Settings:
    """The settings with Stripe's keys, and Stripe's API at `stripe_url` (the stand-in)."""
    return settings.model_copy(
        update={
            "stripe_secret_key": SecretStr(SECRET_KEY),
            "stripe_publishable_key": PUBLISHABLE_KEY,
            "stripe_webhook_secret": SecretStr(WEBHOOK_SECRET),
            "stripe_api_base": stripe_url,
            **changes,
        }
    )


def paid_environment(stripe_url: str) -> dict[str, str]:
    """The same settings as `ledger serve` reads them from its environment."""
    return {
        "LEDGER_STRIPE_SECRET_KEY": SECRET_KEY,
        "LEDGER_STRIPE_PUBLISHABLE_KEY": PUBLISHABLE_KEY,
        "LEDGER_STRIPE_WEBHOOK_SECRET": WEBHOOK_SECRET,
        "LEDGER_STRIPE_API_BASE": stripe_url,
    }


@contextmanager
def paid_runtime(settings: Settings, **options: Any) -> Iterator[Runtime]:
    with open_runtime(settings, announce=lambda _: None, **options) as opened:
        yield opened


def admin(runtime: Runtime) -> RequestContext:
    return RequestContext(ADMIN, runtime.clock(), f"test-{uuid.uuid4().hex}")


@dataclass(frozen=True)
class PaidCourt:
    """A court (25.00 an hour before 14:00) at a venue with `account`; a client and a user."""

    venue_id: UUID
    court_id: UUID
    client_id: UUID
    user_id: UUID

    @classmethod
    def made_in(cls, runtime: Runtime, account: str | None = ACCOUNT) -> PaidCourt:
        ctx, ledger = admin(runtime), runtime.ledger
        organization = ledger.create_organization(ctx, "Org", "Europe/Berlin").value
        venue = ledger.create_venue(ctx, organization.id, "Venue", None, None).value
        court = ledger.create_court(ctx, venue.id, "Court").value
        client = ledger.create_client(ctx, "App", ["court-bookings:write"], [organization.id]).value
        user = ledger.create_user(ctx, f"u-{uuid.uuid4().hex[:8]}@example.com", None, None).value
        ledger.set_booking_rules(ctx, court.id, RULES, SEED_HOURS)
        if account is not None:
            ledger.set_venue_payment_account(ctx, venue.id, account)
        return cls(venue.id, court.id, client.id, user.id)

    def context(self, runtime: Runtime, client_id: UUID | None = None) -> RequestContext:
        client = runtime.ledger.get_client(client_id or self.client_id)
        principal = Principal(
            id=str(client.id),
            kind="client",
            scopes=frozenset(client.scopes),
            organization_ids=frozenset(client.organization_ids),
        )
        return RequestContext(principal, runtime.clock(), f"test-{uuid.uuid4().hex}")

    def slot(self, runtime: Runtime, hour: int = 10) -> tuple[datetime, datetime]:
        """An hour two days ahead on the venue's clock."""
        day = runtime.clock().astimezone(BERLIN).date() + timedelta(days=2)
        return berlin(day, hour), berlin(day, hour + 1)

    def book(self, runtime: Runtime, hour: int = 10) -> ResourceBooking:
        start, end = self.slot(runtime, hour)
        return runtime.ledger.book_resource(
            self.context(runtime), self.client_id, self.user_id, self.court_id, start, end, 2
        ).value

    def status(self, runtime: Runtime, booking: ResourceBooking) -> str:
        return runtime.ledger.get_resource_booking(admin(runtime), booking.id).status


def expire_due(runtime: Runtime) -> int:
    """When: the expiry runs once, after the payment holds view has caught up with the log."""
    view = runtime.view(PaymentHoldsView)
    assert view.wait_for(runtime.ledger.recorder.max_notification_id() or 0, VIEW_WAIT_SECONDS)
    return PaymentExpiry(runtime.ledger, view, runtime.clock, interval=1.0).run_once()
