"""Checks that settings of several kinds share: typed fields of their dict form, amounts and currencies."""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any
from uuid import UUID

from domain.errors import InvalidInputError

CENT = Decimal("0.01")
MAX_PRICE = Decimal("1000000")
_CURRENCY = re.compile(r"[A-Z]{3}")


def typed_value(data: Mapping[str, Any], name: str, kind: type, error: type[InvalidInputError]) -> Any:
    """The field `name` of `data` as `kind`, or `error` naming it: a Decimal field takes a decimal string, an
    int or a Decimal; a tuple field takes a list of UUIDs (or of their strings); a bool is no number."""
    if name not in data:
        raise error(f"{name} is required.", field=name)
    value = data[name]
    if kind is Decimal and isinstance(value, str | int | Decimal) and not isinstance(value, bool):
        try:
            return Decimal(value)
        except InvalidOperation:
            raise error(f"{name} must be a decimal string.", field=name) from None
    if kind is tuple and isinstance(value, list | tuple):
        try:
            return tuple(item if isinstance(item, UUID) else UUID(str(item)) for item in value)
        except ValueError:
            raise error(f"{name} must be a list of UUIDs.", field=name) from None
    if kind is not tuple and isinstance(value, kind) and (kind is bool or not isinstance(value, bool)):
        return value
    what = "a list of UUIDs" if kind is tuple else f"of type {kind.__name__}"
    raise error(f"{name} must be {what}.", field=name)


def checked_amount(value: Decimal, name: str, maximum: Decimal, error: type[InvalidInputError]) -> Decimal:
    """The amount, once it is known to be from 0 to `maximum` with at most two decimals."""
    if not value.is_finite() or value < 0 or value > maximum or value != value.quantize(CENT):
        raise error(f"{name} must be a decimal from 0 to {maximum} with at most two decimals.", field=name)
    return value


def check_currency(currency: str, error: type[InvalidInputError]) -> None:
    """Refuse a currency that is not three capital letters, as in ISO 4217."""
    if not _CURRENCY.fullmatch(currency):
        raise error("currency must be three capital letters, such as EUR.", field="currency")
