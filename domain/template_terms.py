"""What a booking template says: its times, price, booking window, required customer fields and resources."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID

from domain.errors import InvalidInputError
from domain.local_time import MINUTES_PER_DAY
from domain.setting_checks import CENT, MAX_PRICE, check_currency, checked_amount, typed_value

MAX_NAME_LENGTH = 200
MAX_CUSTOM_ID_LENGTH = 100
MAX_DESCRIPTION_LENGTH = 5000
MAX_BOOKING_DAY = 365
MAX_BOOKING_LEAD_TIME = MAX_BOOKING_DAY * MINUTES_PER_DAY
MAX_RESOURCES = 50
# Line breaks and tabs are text; other control characters are not.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class InvalidBookingTemplateError(InvalidInputError):
    """Raised when a booking template's settings are not acceptable; the base of the errors below."""


class MalformedBookingTemplateError(InvalidBookingTemplateError):
    """Raised when a template setting is missing, unknown, or of the wrong type."""


class InvalidTemplateTextError(InvalidBookingTemplateError):
    """Raised when a template's name, custom id or description is blank, too long or holds control codes."""


class InvalidTemplateTimesError(InvalidBookingTemplateError):
    """Raised when a template's duration is not 1 to 1440 minutes, or its lead or follow-up not 0 to 1440."""


class InvalidTemplatePriceError(InvalidBookingTemplateError):
    """Raised when a template's gross price, tax rate or currency is out of range or malformed."""


class InvalidBookingWindowError(InvalidBookingTemplateError):
    """Raised when a template's booking days or booking lead time are out of range or in the wrong order."""


class InvalidTemplateResourcesError(InvalidBookingTemplateError):
    """Raised when a template names no resources, too many, one twice, or resources it may not book."""


@dataclass(frozen=True)
class TemplateTerms:
    """A booking template's settings, checked; times are minutes, booking days count from today."""

    name: str
    custom_id: str
    duration: int
    lead_time: int
    followup_time: int
    price_gross: Decimal
    tax_rate: Decimal
    currency: str
    show_price: bool
    description: str
    booking_day_earliest: int
    booking_day_latest: int
    booking_lead_time: int
    customer_email_required: bool
    customer_mobile_required: bool
    customer_address_required: bool
    resource_ids: tuple[UUID, ...]

    def __post_init__(self) -> None:
        _check_text(self.name, "name", MAX_NAME_LENGTH, blank=False)
        _check_text(self.custom_id, "custom_id", MAX_CUSTOM_ID_LENGTH, blank=True)
        _check_text(self.description, "description", MAX_DESCRIPTION_LENGTH, blank=True)
        for name, low in (("duration", 1), ("lead_time", 0), ("followup_time", 0)):
            if not low <= getattr(self, name) <= MINUTES_PER_DAY:
                raise InvalidTemplateTimesError(
                    f"{name} must be from {low} to {MINUTES_PER_DAY} minutes.", field=name
                )
        checked_amount(self.price_gross, "price_gross", MAX_PRICE, InvalidTemplatePriceError)
        checked_amount(self.tax_rate, "tax_rate", Decimal(100), InvalidTemplatePriceError)
        check_currency(self.currency, InvalidTemplatePriceError)
        if not 0 <= self.booking_day_earliest <= self.booking_day_latest <= MAX_BOOKING_DAY:
            raise InvalidBookingWindowError(
                f"booking_day_earliest and booking_day_latest must be from 0 to {MAX_BOOKING_DAY}, "
                "the earliest not after the latest.",
                field="booking_day_latest",
            )
        if not 0 <= self.booking_lead_time <= MAX_BOOKING_LEAD_TIME:
            raise InvalidBookingWindowError(
                f"booking_lead_time must be from 0 to {MAX_BOOKING_LEAD_TIME} minutes.",
                field="booking_lead_time",
            )
        if not 1 <= len(self.resource_ids) <= MAX_RESOURCES or len(set(self.resource_ids)) < len(
            self.resource_ids
        ):
            raise InvalidTemplateResourcesError(
                f"resource_ids must name 1 to {MAX_RESOURCES} different resources.", field="resource_ids"
            )

    @property
    def hold_before(self) -> timedelta:
        return timedelta(minutes=self.lead_time)

    @property
    def length(self) -> timedelta:
        return timedelta(minutes=self.duration)

    @property
    def hold_after(self) -> timedelta:
        """From an appointment's start to the end of what it holds: its duration and follow-up time."""
        return timedelta(minutes=self.duration + self.followup_time)

    def as_dict(self) -> dict[str, Any]:
        """The terms as JSON-safe values: amounts as two-decimal strings, resource ids as strings."""
        values = {name: getattr(self, name) for name in TERM_TYPES}
        values["price_gross"] = f"{self.price_gross.quantize(CENT):f}"
        values["tax_rate"] = f"{self.tax_rate.quantize(CENT):f}"
        values["resource_ids"] = [str(resource_id) for resource_id in self.resource_ids]
        return values

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> TemplateTerms:
        """Terms from `as_dict`'s form, or from a command's settings with resource ids as UUIDs."""
        unknown = sorted(set(data) - set(TERM_TYPES))
        if unknown:
            raise MalformedBookingTemplateError(
                f"Unknown template settings: {', '.join(unknown)}.", fields=unknown
            )
        values = {
            name: typed_value(data, name, kind, MalformedBookingTemplateError)
            for name, kind in TERM_TYPES.items()
        }
        return cls(**values)


# The type of each setting; resource ids are a tuple of UUIDs.
TERM_TYPES: dict[str, type] = {
    "name": str,
    "custom_id": str,
    "duration": int,
    "lead_time": int,
    "followup_time": int,
    "price_gross": Decimal,
    "tax_rate": Decimal,
    "currency": str,
    "show_price": bool,
    "description": str,
    "booking_day_earliest": int,
    "booking_day_latest": int,
    "booking_lead_time": int,
    "customer_email_required": bool,
    "customer_mobile_required": bool,
    "customer_address_required": bool,
    "resource_ids": tuple,
}
# What a new template takes when a setting is left out.
TERM_DEFAULTS: dict[str, Any] = {
    "custom_id": "",
    "lead_time": 0,
    "followup_time": 0,
    "show_price": True,
    "description": "",
    "customer_email_required": False,
    "customer_mobile_required": False,
    "customer_address_required": False,
}


def _check_text(value: str, name: str, limit: int, blank: bool) -> None:
    if len(value) > limit or (not blank and not value.strip()) or _CONTROL.search(value):
        need = "at most" if blank else "1 to"
        raise InvalidTemplateTextError(
            f"{name} must have {need} {limit} characters and no control characters.", field=name
        )
