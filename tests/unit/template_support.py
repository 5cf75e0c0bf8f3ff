"""Givens for booking-template tests: the seed's template settings, and a club with courts and a template."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from domain.application import Ledger
from domain.booking_template import BookingTemplate
from domain.context import ADMIN, Principal, RequestContext
from domain.organization import Organization, Resource, Venue
from domain.template_terms import TemplateTerms
from tests.unit.allocators import in_memory_ledger

COURT = UUID(int=7)
OTHER_COURT = UUID(int=8)
NOW = datetime(2030, 1, 1, 9, 30, tzinfo=UTC)
SLOT_KEY = b"slot-key-for-tests-0123456789abc"

# The seed's first template, on two courts.
SEED_SETTINGS: dict[str, Any] = {
    "name": "Test AppointmentTemplate",
    "duration": 60,
    "price_gross": "99.99",
    "tax_rate": "19",
    "currency": "EUR",
    "booking_day_earliest": 0,
    "booking_day_latest": 14,
    "booking_lead_time": 120,
    "customer_email_required": True,
}
SEED_TERMS = TemplateTerms(
    name="Test AppointmentTemplate",
    custom_id="",
    duration=60,
    lead_time=0,
    followup_time=0,
    price_gross=Decimal("99.99"),
    tax_rate=Decimal("19"),
    currency="EUR",
    show_price=True,
    description="",
    booking_day_earliest=0,
    booking_day_latest=14,
    booking_lead_time=120,
    customer_email_required=True,
    customer_mobile_required=False,
    customer_address_required=False,
    resource_ids=(COURT, OTHER_COURT),
)


def terms(**changes: Any) -> TemplateTerms:
    """Given: the seed's template terms with some of them changed."""
    return replace(SEED_TERMS, **changes)


def admin(now: datetime = NOW) -> RequestContext:
    return RequestContext(ADMIN, now, "admin-request")


def module_client(organization_id: UUID, now: datetime = NOW) -> RequestContext:
    """The context of a module client granted the organization."""
    principal = Principal("module", "client", frozenset({"module-api"}), frozenset({organization_id}))
    return RequestContext(principal, now, "module-request")


@dataclass
class Club:
    """Given: an in-memory ledger with an organization in Berlin, a venue with two courts, and a template."""

    ledger: Ledger
    organization: Organization
    venue: Venue
    courts: list[Resource]
    template: BookingTemplate

    @classmethod
    def open(cls, **settings: Any) -> Club:
        ledger = in_memory_ledger()
        organization = ledger.create_organization(admin(), "Padel Club", "Europe/Berlin").value
        venue = ledger.create_venue(admin(), organization.id, "Centre", "Berlin", None).value
        courts = [ledger.create_court(admin(), venue.id, f"Court {n}").value for n in (1, 2)]
        given = {**SEED_SETTINGS, "resource_ids": [court.id for court in courts], **settings}
        template = ledger.create_booking_template(admin(), organization.id, given).value
        return cls(ledger, organization, venue, courts, template)

    @property
    def client(self) -> RequestContext:
        return module_client(self.organization.id)
