"""Booking free text: notes, reasons and resolutions keep line breaks but never a NUL character."""

from __future__ import annotations

import pytest

from domain.booking import checked_text
from domain.booking_errors import InvalidBookingTextError


def test_text_with_line_breaks_is_kept_as_given() -> None:
    assert checked_text("first line\nsecond line\ttabbed") == "first line\nsecond line\ttabbed"


def test_absent_text_stays_absent() -> None:
    assert checked_text(None) is None


def test_text_with_a_nul_character_is_refused() -> None:
    with pytest.raises(InvalidBookingTextError):
        checked_text("sick\x00")
