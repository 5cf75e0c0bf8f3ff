"""Money as the admin bodies accept it: a decimal string (`"99.99"`) or a JSON number, read as a Decimal."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BeforeValidator, WithJsonSchema

MAX_TEXT_LENGTH = 32
_DECIMAL = re.compile(r"-?[0-9]+(\.[0-9]+)?")


def _decimal(value: Any) -> Decimal:
    # A float is read from its shortest repr, so 37.5 is Decimal("37.5"), never the binary 37.5 expanded.
    if isinstance(value, bool):
        raise ValueError("must be a decimal string or a number")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, str) and len(value) <= MAX_TEXT_LENGTH and _DECIMAL.fullmatch(value):
        return Decimal(value)
    raise ValueError('must be a decimal string such as "25.00" or a number')


Money = Annotated[
    Decimal,
    BeforeValidator(_decimal),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "pattern": r"^-?[0-9]+(\.[0-9]+)?$", "maxLength": MAX_TEXT_LENGTH},
                {"type": "number"},
            ],
            "examples": ["25.00"],
        }
    ),
]
"""An amount from a decimal string or a JSON number; its range and decimals are the domain's to check."""
