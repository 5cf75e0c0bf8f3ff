"""Booking templates in the admin API and `ledger admin`: the bodies, the answer, the operations."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Annotated, Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, StringConstraints, create_model

from domain.application import Ledger
from domain.booking_template import BookingTemplate
from domain.context import RequestContext
from domain.template_terms import TERM_DEFAULTS, InvalidBookingTemplateError
from ledger.admin.requests import NAME_PATTERN
from ledger.money import Money

ResourceRef = StrictInt | Annotated[str, StringConstraints(max_length=64)]

# The body's names of the settings, and the domain's.
SETTING_NAMES = {
    "name": "name",
    "customId": "custom_id",
    "duration": "duration",
    "leadTime": "lead_time",
    "followupTime": "followup_time",
    "priceGross": "price_gross",
    "taxRate": "tax_rate",
    "currency": "currency",
    "showPrice": "show_price",
    "description": "description",
    "bookingDayEarliest": "booking_day_earliest",
    "bookingDayLatest": "booking_day_latest",
    "bookingLeadTime": "booking_lead_time",
    "customerEmailRequired": "customer_email_required",
    "customerMobileRequired": "customer_mobile_required",
    "customerAddressRequired": "customer_address_required",
    "resourceIds": "resource_ids",
}

BODY_NAMES = {domain_name: name for name, domain_name in SETTING_NAMES.items()}
_DOMAIN_NAME = re.compile(r"\b(" + "|".join(name for name in BODY_NAMES if "_" in name) + r")\b")


class BookingTemplateIn(BaseModel):
    """A new booking template; an optional setting left out (or null) takes its default.

    The bounds on numbers here are wider than any setting allows: the domain answers with the rule.
    """

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200, pattern=r"^[^\x00-\x1f\x7f]+$", examples=["Padel lesson"])
    customId: str | None = Field(
        default=None, max_length=100, pattern=NAME_PATTERN, description="Default empty."
    )
    duration: StrictInt = Field(ge=-(10**9), le=10**9, description="Minutes, 1 to 1440.", examples=[60])
    leadTime: StrictInt | None = Field(
        default=None, ge=-(10**9), le=10**9, description="Minutes held before."
    )
    followupTime: StrictInt | None = Field(
        default=None, ge=-(10**9), le=10**9, description="Minutes held after."
    )
    priceGross: Money
    taxRate: Money = Field(description="Percent, 0 to 100.")
    currency: str = Field(max_length=16, examples=["EUR"])
    showPrice: StrictBool | None = Field(default=None, description="Default true.")
    description: str | None = Field(default=None, max_length=5000)
    bookingDayEarliest: StrictInt = Field(ge=-(10**9), le=10**9, description="Days from today, 0 to 365.")
    bookingDayLatest: StrictInt = Field(ge=-(10**9), le=10**9, description="Days from today, 0 to 365.")
    bookingLeadTime: StrictInt = Field(ge=-(10**9), le=10**9, description="Minutes from now to the start.")
    customerEmailRequired: StrictBool | None = None
    customerMobileRequired: StrictBool | None = None
    customerAddressRequired: StrictBool | None = None
    resourceIds: list[ResourceRef] = Field(
        max_length=100, description="Resources (courts) of the organization, by UUID or number, of one venue."
    )

    def settings(self) -> dict[str, Any]:
        """The settings given, by the domain's names; resource references as given (UUIDs or numbers)."""
        given = self.model_dump(exclude_none=True)
        return {SETTING_NAMES[name]: value for name, value in given.items()}


class BookingTemplateOut(BaseModel):
    """A booking template as it now is; amounts are decimal strings."""

    id: UUID
    organizationId: UUID
    venueId: UUID
    name: str
    customId: str
    duration: int
    leadTime: int
    followupTime: int
    priceGross: str = Field(examples=["99.99"])
    taxRate: str = Field(examples=["19.00"])
    currency: str
    showPrice: bool
    description: str
    bookingDayEarliest: int
    bookingDayLatest: int
    bookingLeadTime: int
    customerEmailRequired: bool
    customerMobileRequired: bool
    customerAddressRequired: bool
    resourceIds: list[UUID]

    @classmethod
    def of(cls, template: BookingTemplate) -> BookingTemplateOut:
        settings = template.settings
        values = {name: settings[domain_name] for name, domain_name in SETTING_NAMES.items()}
        return cls(
            id=template.id, organizationId=template.organization_id, venueId=template.venue_id, **values
        )


class TemplateChanges(BaseModel):
    """Changes of a booking template: the create body's fields, none required, each under the same rules.

    A field left out keeps its value; an optional one given as null takes its default again.
    """

    model_config = ConfigDict(extra="forbid")

    def changes(self) -> dict[str, Any]:
        """The settings given, by the domain's names."""
        given = self.model_dump(include=self.model_fields_set)
        changes = {SETTING_NAMES[name]: value for name, value in given.items()}
        return {name: TERM_DEFAULTS[name] if value is None else value for name, value in changes.items()}


# Each field keeps its type, so null stays refused where the create body refuses it.
_OPTIONAL_FIELDS: dict[str, Any] = {
    name: (Annotated[info.annotation, info], None) for name, info in BookingTemplateIn.model_fields.items()
}
BookingTemplateChangesIn = create_model(
    "BookingTemplateChangesIn", __base__=TemplateChanges, __doc__=TemplateChanges.__doc__, **_OPTIONAL_FIELDS
)


def _in_body_names(command: Callable[[], BookingTemplate]) -> BookingTemplateOut:
    """The command's template; its refusals name settings as the body does, not as the domain does."""
    try:
        return BookingTemplateOut.of(command())
    except InvalidBookingTemplateError as error:
        message = _DOMAIN_NAME.sub(lambda match: BODY_NAMES[match.group(0)], error.message)
        raise type(error)(message, **error.details) from None


def create_booking_template(
    ledger: Ledger, ctx: RequestContext, organization_id: UUID, body: BookingTemplateIn
) -> BookingTemplateOut:
    return _in_body_names(lambda: ledger.create_booking_template(ctx, organization_id, body.settings()).value)


def update_booking_template(
    ledger: Ledger, ctx: RequestContext, template_id: UUID, body: TemplateChanges
) -> BookingTemplateOut:
    """Set the settings given; resources must be of the template's organization, as on creation."""
    return _in_body_names(lambda: ledger.update_booking_template(ctx, template_id, body.changes()).value)


def get_booking_template(ledger: Ledger, organization_id: UUID, template_id: UUID) -> BookingTemplateOut:
    return BookingTemplateOut.of(ledger.get_booking_template(organization_id, template_id))
