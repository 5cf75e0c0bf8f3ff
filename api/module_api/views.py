"""How the ledger's templates, slots and appointments are written in the module API's shapes."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from api.module_api.schemas import (
    ModuleAddressOut,
    ModuleAppointmentOut,
    ModuleBookingSlotOut,
    ModuleBookingTemplateOut,
    ModuleCustomerAddressOut,
    ModuleCustomerIn,
    ModuleCustomerOut,
    ModuleGeoCoordinatesOut,
    ModulePriceOut,
    ModuleSlotRangeOut,
    Number,
)
from domain.appointment import STATUS_CANCELLED, Appointment
from domain.booking_template import BookingTemplate
from domain.customer import Customer, CustomerAddress
from domain.organization import Venue
from domain.slot_commands import SlotOffer


def local_time(moment: datetime, tz: ZoneInfo) -> str:
    """An instant as the seed writes it: local time with its offset, to the second."""
    return moment.astimezone(tz).isoformat(timespec="seconds")


def number(amount: str | Decimal) -> Number:
    """An amount as a JSON number: whole amounts as integers (19), others as decimals (99.99)."""
    value = Decimal(amount)
    return int(value) if value == value.to_integral_value() else float(value)


def price_out(price_gross: str | Decimal, tax_rate: str | Decimal, currency: str) -> ModulePriceOut:
    return ModulePriceOut(priceGross=number(price_gross), taxRate=number(tax_rate), currency=currency)


def address_out(venue: Venue) -> ModuleAddressOut:
    coordinates = None
    if venue.latitude is not None and venue.longitude is not None:
        coordinates = ModuleGeoCoordinatesOut(
            latitude=float(venue.latitude), longitude=float(venue.longitude)
        )
    return ModuleAddressOut(
        name=venue.name,
        street=venue.street_address or "",
        zip=venue.postal_code or "",
        city=venue.city or "",
        country=venue.country or "",
        geoCoordinates=coordinates,
    )


def template_out(template: BookingTemplate, venue: Venue) -> ModuleBookingTemplateOut:
    terms, settings = template.terms, template.settings
    price = price_out(settings["price_gross"], settings["tax_rate"], terms.currency)
    return ModuleBookingTemplateOut(
        id=str(template.id),
        customId=terms.custom_id,
        name=terms.name,
        duration=terms.duration,
        leadTime=terms.lead_time,
        followupTime=terms.followup_time,
        price=price,
        showPrice=terms.show_price,
        priceGross=price.priceGross,
        currency=price.currency,
        taxRate=price.taxRate,
        description=terms.description,
        customerAddressRequired=terms.customer_address_required,
        customerEmailRequired=terms.customer_email_required,
        customerMobileRequired=terms.customer_mobile_required,
        bookingDayEarliest=terms.booking_day_earliest,
        bookingDayLatest=terms.booking_day_latest,
        bookingLeadTime=terms.booking_lead_time,
        address=address_out(venue),
    )


def slot_range_out(offer: SlotOffer) -> ModuleSlotRangeOut:
    tz = ZoneInfo(offer.timezone)
    return ModuleSlotRangeOut(
        rangeStart=local_time(offer.range_start, tz),
        rangeEnd=local_time(offer.range_end, tz),
        timeZone=offer.timezone,
        bookingSlotList=[
            ModuleBookingSlotOut(
                id=slot.id,
                timestamp=local_time(slot.start, tz),
                bookingResourceCombination=[str(resource_id) for resource_id in slot.resource_ids],
            )
            for slot in offer.slots
        ],
    )


def customer_of(given: ModuleCustomerIn) -> Customer:
    """The domain's customer; it checks the values (400 when malformed)."""
    address = None
    if given.address is not None:
        parts = given.address
        address = CustomerAddress(
            street=parts.street or "", zip=parts.zip or "", city=parts.city or "", country=parts.country or ""
        )
    return Customer(
        first_name=given.firstName,
        last_name=given.lastName,
        email=given.email or "",
        mobile=given.mobile or "",
        address=address,
    )


def customer_out(recorded: Mapping[str, Any]) -> ModuleCustomerOut:
    """The customer as recorded, not checked again: it was checked when booked, and once erased its texts
    read `[erased]`, which no longer passes for an email address."""
    address = recorded.get("address")
    return ModuleCustomerOut(
        firstName=str(recorded.get("first_name", "")),
        lastName=str(recorded.get("last_name", "")),
        email=str(recorded.get("email", "")),
        mobile=str(recorded.get("mobile", "")),
        address=None
        if not isinstance(address, Mapping)
        else ModuleCustomerAddressOut.model_validate(
            {part: str(address.get(part, "")) for part in ADDRESS_PARTS}
        ),
    )


ADDRESS_PARTS = ("street", "zip", "city", "country")


def appointment_out(appointment: Appointment, tz: ZoneInfo) -> ModuleAppointmentOut:
    return ModuleAppointmentOut(
        id=str(appointment.id),
        start=local_time(appointment.start, tz),
        end=local_time(appointment.end, tz),
        duration=appointment.duration_minutes,
        name=appointment.name,
        status="CANCELLED" if appointment.status == STATUS_CANCELLED else "BOOKED",
        bookingTemplateId=str(appointment.template_id),
        bookingResourceCombination=[str(resource_id) for resource_id in appointment.resource_ids],
        timeZone=tz.key,
        price=price_out(appointment.price_gross, appointment.tax_rate, appointment.currency),
        customer=customer_out(appointment.customer),
    )
