"""Reference codes of resource bookings (`BK-250115-A7F3`) and the index that keeps each one unique."""

from __future__ import annotations

import re
import secrets
from datetime import date
from uuid import UUID

from eventsourcing.domain import event

from domain.base import LedgerAggregate
from domain.ids import reference_code_id

SUFFIX_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
SUFFIX_LENGTH = 4
REFERENCE_CODE = re.compile(r"BK-[0-9]{6}-[A-Z0-9]{4}")


def random_suffix() -> str:
    """Four random capital letters or digits: the part of a reference code that tells one day's apart."""
    return "".join(secrets.choice(SUFFIX_ALPHABET) for _ in range(SUFFIX_LENGTH))


def reference_code(local_start: date, suffix: str) -> str:
    """`BK-<YYMMDD of the booking's local start>-<suffix>`."""
    code = f"BK-{local_start:%y%m%d}-{suffix}"
    if not REFERENCE_CODE.fullmatch(code):
        raise ValueError(f"A reference code suffix is four capital letters or digits, not {suffix!r}.")
    return code


def is_reference_code(text: str) -> bool:
    return REFERENCE_CODE.fullmatch(text) is not None


class ReferenceCodeIndex(LedgerAggregate):
    """Which booking holds a reference code.

    Its id is derived from the code and it is saved with the booking, so two bookings can never both be saved
    with one code: the second save loses on the index's id.
    """

    class Claimed(LedgerAggregate.Created):
        code: str
        booking_id: UUID

    @staticmethod
    def create_id(code: str, **_: object) -> UUID:
        return reference_code_id(code)

    @classmethod
    def claim(cls, code: str, booking_id: UUID, meta: dict[str, str]) -> ReferenceCodeIndex:
        return cls(code=code, booking_id=booking_id, meta=meta)

    @event(Claimed)
    def __init__(self, code: str, booking_id: UUID, meta: dict[str, str]) -> None:
        self.code = code
        self.booking_id = booking_id
