"""The descriptive fields of a venue (slug, address, coordinates, timezone, ...) and their checks."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from decimal import Decimal

from domain.errors import InvalidInputError
from domain.timezones import checked_timezone

VenueDetail = str | bool | None


class UnknownVenueFieldError(InvalidInputError):
    """Raised when a change names a field that a venue does not have."""


class InvalidVenueDetailError(InvalidInputError):
    """Raised when a descriptive field of a venue gets a value of the wrong type or length."""


class InvalidSlugError(InvalidVenueDetailError):
    """Raised when a slug is not lower-case letters and digits in groups joined by single hyphens."""


class InvalidCoordinateError(InvalidVenueDetailError):
    """Raised when a latitude or longitude is not a decimal string within its range."""


_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
# Plain decimal notation only: an exponent or a NaN would not round-trip as the same string.
_DECIMAL = re.compile(r"[+-]?[0-9]{1,3}(?:\.[0-9]{1,15})?")

# The longest value of each free-text field.
TEXT_LIMITS = {
    "description": 5000,
    "short_description": 500,
    "venue_type": 100,
    "street_address": 300,
    "city": 200,
    "postal_code": 20,
    "country": 100,
}


def _text(field: str, value: object) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise InvalidVenueDetailError(f"{field} must be a string.", field=field)
    text = value.strip()
    if len(text) > TEXT_LIMITS[field]:
        raise InvalidVenueDetailError(f"{field} has more than {TEXT_LIMITS[field]} characters.", field=field)
    return text or None


def _slug(field: str, value: object) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or len(value) > 100 or not _SLUG.fullmatch(value):
        raise InvalidSlugError(
            "A slug has up to 100 lower-case letters, digits and single hyphens between them.", field=field
        )
    return value


def _coordinate(limit: int) -> Callable[[str, object], str | None]:
    def check(field: str, value: object) -> str | None:
        if value is None:
            return None
        if not isinstance(value, str) or not _DECIMAL.fullmatch(value.strip()):
            raise InvalidCoordinateError(
                f'{field} must be a decimal string such as "48.137154".', field=field
            )
        number = Decimal(value.strip())
        if abs(number) > limit:
            raise InvalidCoordinateError(f"{field} must lie between -{limit} and {limit}.", field=field)
        return str(number)

    return check


def _timezone(field: str, value: object) -> str:
    # A venue always has a timezone: it can be changed, never removed.
    if not isinstance(value, str):
        raise InvalidVenueDetailError("timezone must be an IANA timezone name.", field=field)
    return checked_timezone(value)


def _flag(field: str, value: object) -> bool:
    if not isinstance(value, bool):
        raise InvalidVenueDetailError(f"{field} must be true or false.", field=field)
    return value


_CHECKS: dict[str, Callable[[str, object], VenueDetail]] = {
    "slug": _slug,
    **dict.fromkeys(TEXT_LIMITS, _text),
    "latitude": _coordinate(90),
    "longitude": _coordinate(180),
    "timezone": _timezone,
    "is_published": _flag,
}
VENUE_DETAIL_FIELDS = tuple(_CHECKS)


def checked_venue_changes(changes: Mapping[str, object]) -> dict[str, VenueDetail]:
    """The changes as they will be stored: every field known, every value checked and normalized.

    A text field given as None or blank is cleared; `timezone` and `is_published` cannot be cleared.
    """
    unknown = sorted(set(changes) - set(_CHECKS))
    if unknown:
        raise UnknownVenueFieldError(f"A venue has no field {', '.join(unknown)}.", fields=unknown)
    return {field: _CHECKS[field](field, value) for field, value in changes.items()}
