"""Amounts in a currency's minor units, as Stripe takes them: cents, or whole units of zero-decimal ones."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

# Stripe's lists: these currencies have no minor unit, or three decimals (sent in thousandths).
ZERO_DECIMAL = frozenset(
    {
        "BIF",
        "CLP",
        "DJF",
        "GNF",
        "JPY",
        "KMF",
        "KRW",
        "MGA",
        "PYG",
        "RWF",
        "UGX",
        "VND",
        "VUV",
        "XAF",
        "XOF",
        "XPF",
    }
)
THREE_DECIMAL = frozenset({"BHD", "JOD", "KWD", "OMR", "TND"})


def decimals_of(currency: str) -> int:
    """How many decimals the currency's amounts carry at the provider."""
    code = currency.upper()
    if code in ZERO_DECIMAL:
        return 0
    return 3 if code in THREE_DECIMAL else 2


def to_minor_units(amount: Decimal, currency: str) -> int:
    """The amount in minor units (`37.50` EUR is 3750); rounded half up for a currency with fewer decimals."""
    return int(amount.scaleb(decimals_of(currency)).to_integral_value(rounding=ROUND_HALF_UP))


def from_minor_units(units: int, currency: str) -> Decimal:
    """The amount in major units, with the currency's decimals (3750 EUR cents is `37.50`)."""
    decimals = decimals_of(currency)
    return Decimal(units).scaleb(-decimals).quantize(Decimal(1).scaleb(-decimals))
