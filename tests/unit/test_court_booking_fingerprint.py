"""A court booking's payload fingerprint: keyed; a plain one stored before still matches a replay."""

from __future__ import annotations

import hashlib
import json
from dataclasses import replace

import pytest

from domain.court_booking import CourtBooking, VersionConflictError
from domain.court_booking_terms import CourtBookingTerms
from tests.unit.events import meta, no_events
from tests.unit.test_court_booking import EXTERNAL_ID, LATER, ORGANIZATION, SERVICE, registered, terms

KEY = b"k" * 32


def keyed(booking_terms: CourtBookingTerms, key: bytes = KEY) -> CourtBookingTerms:
    return replace(booking_terms, fingerprint_key=key)


def plain_digest(booking_terms: CourtBookingTerms) -> str:
    payload = {
        "courtId": str(booking_terms.court_id),
        "startDate": booking_terms.start.isoformat().replace("+00:00", ".000000Z"),
        "endDate": booking_terms.end.isoformat().replace("+00:00", ".000000Z"),
        "participants": booking_terms.participant_dicts,
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


def test_a_keyed_fingerprint_cannot_be_recomputed_from_a_guessed_payload_without_the_key() -> None:
    guessed = terms(emails=("ana@example.com",))

    assert terms().fingerprint() == plain_digest(guessed)  # what an unkeyed fingerprint gives away
    assert keyed(terms()).fingerprint() != plain_digest(guessed)
    assert keyed(terms()).fingerprint() != keyed(terms(), b"o" * 32).fingerprint()
    assert keyed(terms()).fingerprint() == keyed(terms(emails=(" ANA@example.com",))).fingerprint()


def test_a_booking_registered_with_a_keyed_fingerprint_records_it() -> None:
    booking = CourtBooking.register(SERVICE, EXTERNAL_ID, ORGANIZATION, keyed(terms()), meta())

    assert booking.fingerprint == keyed(terms()).fingerprint()
    assert booking.fingerprint.startswith("k1:")


def test_a_booking_recorded_with_a_plain_fingerprint_still_answers_an_identical_replay_idempotently() -> None:
    booking = registered(terms())

    assert booking.revise(ORGANIZATION, keyed(terms()), meta(LATER)) is False
    no_events(booking)


def test_a_booking_recorded_with_a_plain_fingerprint_refuses_another_payload_at_the_same_timestamp() -> None:
    booking = registered(terms())

    with pytest.raises(VersionConflictError):
        booking.revise(ORGANIZATION, keyed(terms(emails=("bob@example.com",))), meta(LATER))


def test_a_keyed_fingerprint_is_not_matched_by_the_same_payload_under_another_key() -> None:
    booking = registered(keyed(terms()))

    with pytest.raises(VersionConflictError):
        booking.revise(ORGANIZATION, keyed(terms(), b"o" * 32), meta(LATER))
    assert booking.revise(ORGANIZATION, keyed(terms()), meta(LATER)) is False
