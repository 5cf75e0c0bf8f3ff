"""The customer of an appointment, checked against what its booking template requires; personal data."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from domain.errors import InvalidInputError
from domain.template_terms import TemplateTerms

MAX_TEXT_LENGTH = 200
MAX_EMAIL_LENGTH = 320
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_MOBILE = re.compile(r"\+?[0-9][0-9 ()/.-]{2,31}")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class InvalidCustomerError(InvalidInputError):
    """Raised when a customer's name, email, mobile number or address is malformed."""


class MissingCustomerFieldError(InvalidCustomerError):
    """Raised when a customer lacks a field that the booking template requires."""


@dataclass(frozen=True)
class CustomerAddress:
    """Where the customer lives; street, zip and city are what a template requiring an address needs."""

    street: str = ""
    zip: str = ""
    city: str = ""
    country: str = ""

    def __post_init__(self) -> None:
        for name, value in asdict(self).items():
            _check_text(value, f"address.{name}", MAX_TEXT_LENGTH)

    @property
    def complete(self) -> bool:
        return bool(self.street.strip() and self.zip.strip() and self.city.strip())


@dataclass(frozen=True)
class Customer:
    """Who books an appointment; first and last name are always needed, the rest as the template requires."""

    first_name: str
    last_name: str
    email: str = ""
    mobile: str = ""
    address: CustomerAddress | None = None

    def __post_init__(self) -> None:
        _check_text(self.first_name, "firstName", MAX_TEXT_LENGTH)
        _check_text(self.last_name, "lastName", MAX_TEXT_LENGTH)
        _check_text(self.email, "email", MAX_EMAIL_LENGTH)
        _check_text(self.mobile, "mobile", MAX_TEXT_LENGTH)
        if self.email and not _EMAIL.fullmatch(self.email):
            raise InvalidCustomerError("email must be an email address.", field="email")
        if self.mobile and not _MOBILE.fullmatch(self.mobile):
            raise InvalidCustomerError(
                "mobile must be a phone number such as +49 170 1234567.", field="mobile"
            )

    def check_required(self, terms: TemplateTerms) -> None:
        """Raise naming every field the template requires that the customer lacks."""
        missing = [
            name
            for name, value in (("firstName", self.first_name), ("lastName", self.last_name))
            if not value.strip()
        ]
        if terms.customer_email_required and not self.email:
            missing.append("email")
        if terms.customer_mobile_required and not self.mobile:
            missing.append("mobile")
        if terms.customer_address_required and (self.address is None or not self.address.complete):
            missing.append("address")
        if missing:
            raise MissingCustomerFieldError(
                f"The booking template requires the customer's {', '.join(missing)}.", fields=missing
            )

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Customer:
        address = data.get("address")
        return cls(
            first_name=data["first_name"],
            last_name=data["last_name"],
            email=data.get("email", ""),
            mobile=data.get("mobile", ""),
            address=CustomerAddress(**address) if address is not None else None,
        )


def _check_text(value: object, name: str, limit: int) -> None:
    if not isinstance(value, str) or len(value) > limit or _CONTROL.search(value):
        raise InvalidCustomerError(
            f"{name} must be text of at most {limit} characters without control characters.", field=name
        )
