"""IANA timezone names: the check every venue, organization and local time relies on."""

from __future__ import annotations

import functools
from zoneinfo import available_timezones

from domain.errors import InvalidInputError


class InvalidTimezoneError(InvalidInputError):
    """Raised when a timezone is not an IANA timezone name."""


@functools.cache
def iana_timezones() -> frozenset[str]:
    """The IANA names known to the installed tz database (the `tzdata` package where the host has none)."""
    return frozenset(available_timezones()) - {"localtime", "Factory"}


def checked_timezone(timezone: str) -> str:
    if timezone not in iana_timezones():
        raise InvalidTimezoneError(f"Unknown timezone {timezone!r}.")
    return timezone
