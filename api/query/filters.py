"""The query string of `GET /api/v1/bookings`: filters typed by their field, the page, the profile fields."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, date, datetime
from decimal import Decimal
from uuid import UUID

from api.query.errors import (
    InvalidDateFormatError,
    InvalidFilterValueError,
    InvalidPageError,
    RepeatedParameterError,
    UnknownFilterFieldError,
)
from domain.profiles import PROFILE_ID_KEY
from projections.analytics_queries import FieldFilter, FilterValue
from projections.booking_facts import DOCUMENT_FIELDS

# Parameters that are not filters.
RESERVED = frozenset({"organisationId", "limit", "offset", "profileFields", "consistentWith"})
DEFAULT_LIMIT, MAX_LIMIT = 100, 250
MAX_OFFSET = 2**31 - 1
DEFAULT_PROFILE_FIELDS = ("Full Name", "Postcode", "Email", "Phone")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_NUMBER = re.compile(r"[+-]?\d{1,30}(\.\d{1,30})?")
_INTEGER = re.compile(r"\d{1,12}")


def _date(field: str, raw: str) -> date:
    try:
        if _DATE.fullmatch(raw):
            return date.fromisoformat(raw)
    except ValueError:
        pass
    raise InvalidDateFormatError(f"Invalid date format: {field} must be a date written YYYY-MM-DD.")


def _instant(field: str, raw: str) -> datetime:
    try:
        moment = datetime.fromisoformat(raw)
        if moment.tzinfo is not None:
            return moment.astimezone(UTC)
    except (ValueError, OverflowError):
        pass
    raise InvalidFilterValueError(
        f"{field} must be an ISO 8601 instant with a UTC offset, such as 2025-01-20T14:00:00.000Z."
    )


def _number(field: str, raw: str) -> int | Decimal:
    if not _NUMBER.fullmatch(raw):
        raise InvalidFilterValueError(f"{field} must be a number, such as 120 or 15.50.")
    return Decimal(raw) if "." in raw else int(raw)


def _boolean(field: str, raw: str) -> bool:
    if raw.lower() not in ("true", "false"):
        raise InvalidFilterValueError(f"{field} must be true or false.")
    return raw.lower() == "true"


def _uuid_or_text(field: str, raw: str) -> UUID | str:
    # A value that is no UUID is kept as text: it matches no booking, as an unknown id would.
    try:
        return UUID(raw)
    except ValueError:
        return raw


def _text(field: str, raw: str) -> str:
    return raw


PARSERS = {
    "date": _date,
    "instant": _instant,
    "number": _number,
    "boolean": _boolean,
    "uuid": _uuid_or_text,
    "string": _text,
}


def parse_value(field: str, raw: str) -> FilterValue:
    """The value of a filter on `field`, of the field's type; raises UnknownFilterFieldError for no field."""
    kind = DOCUMENT_FIELDS.get(field)
    if kind is None:
        raise UnknownFilterFieldError(
            f"Unknown filter field {field!r}: filter by fields of the booking document, such as "
            "eventId, date, memberId, attending, userStatus, orgStatus or bookingType."
        )
    if "\x00" in raw:
        raise InvalidFilterValueError(f"{field} must not contain NUL characters.")
    return PARSERS[kind](field, raw)


def single_values(items: Iterable[tuple[str, str]]) -> dict[str, str]:
    """The query's parameters by name; a parameter given twice is refused rather than half applied."""
    values: dict[str, str] = {}
    for name, value in items:
        if name in values:
            raise RepeatedParameterError(f"{name} is given more than once; give each parameter once.")
        values[name] = value
    return values


def parse_filters(parameters: dict[str, str]) -> tuple[FieldFilter, ...]:
    """Every parameter that is not one of the reserved ones, as a filter on the field it names."""
    return tuple(
        FieldFilter(name, parse_value(name, raw)) for name, raw in parameters.items() if name not in RESERVED
    )


def parse_limit(raw: str | None) -> int:
    """The page size: 100 by default, at most 250 (a larger one is served as 250), 0 for the total only."""
    if raw is None:
        return DEFAULT_LIMIT
    if not _INTEGER.fullmatch(raw.strip()):
        raise InvalidPageError("limit must be a non-negative integer (at most 250 bookings are returned).")
    return min(int(raw), MAX_LIMIT)


def parse_offset(raw: str | None) -> int:
    if raw is None:
        return 0
    if not _INTEGER.fullmatch(raw.strip()) or int(raw) > MAX_OFFSET:
        raise InvalidPageError(f"offset must be an integer from 0 to {MAX_OFFSET}.")
    return int(raw)


def parse_profile_fields(raw: str | None) -> tuple[str, ...]:
    """The field ids asked for, in order and once each; `profileId` is always shown, so never listed."""
    if raw is None:
        return DEFAULT_PROFILE_FIELDS
    fields = [field.strip() for field in raw.split(",")]
    return tuple(dict.fromkeys(field for field in fields if field and field != PROFILE_ID_KEY))
