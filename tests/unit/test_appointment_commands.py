"""Appointment commands: booking a signed slot on the calendar, required customer fields, cancelling."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from uuid import uuid4

import pytest

from domain.appointment import (
    Appointment,
    AppointmentNotFoundError,
    AppointmentStartedError,
    SlotNoLongerBookableError,
    SlotTakenError,
)
from domain.appointment_commands import OrganizationNotGrantedError
from domain.context import RequestContext
from domain.customer import Customer, CustomerAddress, InvalidCustomerError, MissingCustomerFieldError
from domain.slot_commands import OfferedSlot
from domain.slot_ids import ExpiredSlotIdError, InvalidSlotIdError
from tests.unit.events import stored_types
from tests.unit.template_support import NOW, SLOT_KEY, Club, admin, module_client

JOHN = Customer("John", "Doe", "jd@scrubs.doc")


def earliest(club: Club) -> list[OfferedSlot]:
    return club.ledger.earliest_booking_slots(club.organization.id, club.template.id, NOW, SLOT_KEY).slots


def book(
    club: Club, slot: OfferedSlot, customer: Customer = JOHN, ctx: RequestContext | None = None
) -> Appointment:
    ctx = ctx or club.client
    return club.ledger.add_appointment(
        ctx, club.organization.id, slot.id, customer, slot_keys=[SLOT_KEY]
    ).value


def test_booking_a_slot_holds_its_court_with_lead_and_followup_time_on_the_calendar() -> None:
    club = Club.open(lead_time=15, followup_time=30)
    slot = earliest(club)[0]

    appointment = book(club, slot)

    assert (appointment.start, appointment.end) == (slot.start, slot.start + timedelta(minutes=60))
    assert appointment.resource_ids == list(slot.resource_ids)
    held = club.ledger.reservations(slot.resource_ids[0], slot.start.date(), slot.start.date())
    assert [(r.booking_id, r.hold.start, r.hold.end) for r in held] == [
        (appointment.id, slot.start - timedelta(minutes=15), slot.start + timedelta(minutes=90))
    ]
    assert (appointment.name, appointment.price_gross, appointment.currency) == (
        "Test AppointmentTemplate",
        "99.99",
        "EUR",
    )


def test_a_booked_slot_is_no_longer_offered_and_booking_it_again_is_a_conflict() -> None:
    club = Club.open()
    first, second = earliest(club)
    book(club, first)

    assert [slot.resource_ids for slot in earliest(club)] == [second.resource_ids]
    with pytest.raises(SlotTakenError, match="booked by someone else"):
        book(club, first)


def test_a_slot_whose_hold_would_overlap_another_appointment_is_taken() -> None:
    club = Club.open(followup_time=30)
    first = earliest(club)[0]
    book(club, first)
    later = club.ledger.booking_slots(
        club.organization.id, club.template.id, first.start, first.start + timedelta(hours=3), NOW, SLOT_KEY
    )
    on_same_court = [slot for slot in later.slots if slot.resource_ids == first.resource_ids]

    assert on_same_court[0].start == first.start + timedelta(minutes=90)


def test_an_appointment_lacking_a_field_the_template_requires_is_refused_naming_each() -> None:
    club = Club.open(customer_mobile_required=True, customer_address_required=True)
    slot = earliest(club)[0]

    with pytest.raises(MissingCustomerFieldError) as raised:
        book(club, slot, Customer("John", " ", "", address=CustomerAddress(street="Main St 1")))

    assert raised.value.details == {"fields": ["lastName", "email", "mobile", "address"]}
    assert club.ledger.reservations(slot.resource_ids[0], slot.start.date(), slot.start.date()) == []


def test_a_customer_with_every_required_field_books_and_is_recorded_whole() -> None:
    club = Club.open(customer_mobile_required=True, customer_address_required=True)
    address = CustomerAddress("Main St 1", "10115", "Berlin", "DE")

    customer = Customer("Ana", "Lopez", "ana@example.com", "+49 170 1234567", address)

    appointment = book(club, earliest(club)[0], customer)

    assert Customer.from_dict(appointment.customer) == customer


@pytest.mark.parametrize(
    "fields",
    [{"email": "not-an-email"}, {"mobile": "call me"}, {"first_name": "x" * 201}, {"last_name": "a\nb"}],
)
def test_a_malformed_customer_is_refused(fields: dict[str, Any]) -> None:
    with pytest.raises(InvalidCustomerError):
        Customer(**{"first_name": "John", "last_name": "Doe", **fields})


def test_a_tampered_or_expired_slot_id_books_nothing() -> None:
    club = Club.open()
    slot = earliest(club)[0]
    tampered = OfferedSlot(slot.id[:-2] + ("AA" if slot.id[-2:] != "AA" else "BB"), slot.start, slot.end, ())
    expired = RequestContext(club.client.principal, NOW + timedelta(hours=1), "late")

    with pytest.raises(InvalidSlotIdError):
        book(club, tampered)
    with pytest.raises(ExpiredSlotIdError):
        book(club, slot, ctx=expired)


def test_a_slot_of_another_organizations_template_is_refused_as_invalid() -> None:
    club, other = Club.open(), Club.open()
    slot = earliest(other)[0]

    with pytest.raises(InvalidSlotIdError, match="not one of this organization"):
        club.ledger.add_appointment(club.client, club.organization.id, slot.id, JOHN, slot_keys=[SLOT_KEY])


def test_a_caller_not_granted_the_organization_cannot_book_or_read_there() -> None:
    club, other = Club.open(), Club.open()
    slot = earliest(club)[0]
    appointment = book(club, slot)

    with pytest.raises(OrganizationNotGrantedError):
        book(club, slot, ctx=module_client(other.organization.id))
    with pytest.raises(OrganizationNotGrantedError):
        club.ledger.get_appointment(
            module_client(other.organization.id), club.organization.id, appointment.id
        )


def test_a_slot_is_no_longer_bookable_once_the_template_drops_its_court_or_it_is_too_soon() -> None:
    club = Club.open()
    first, second = earliest(club)
    club.ledger.update_booking_template(admin(), club.template.id, {"resource_ids": [second.resource_ids[0]]})
    too_soon = RequestContext(club.client.principal, first.start - timedelta(minutes=119), "late")

    with pytest.raises(SlotNoLongerBookableError):
        book(club, first)
    with pytest.raises(SlotNoLongerBookableError):
        book(club, second, ctx=too_soon)


def test_cancelling_frees_the_time_and_cancelling_again_changes_nothing() -> None:
    club = Club.open()
    slot = earliest(club)[0]
    appointment = book(club, slot)

    cancelled = club.ledger.cancel_appointment(club.client, club.organization.id, appointment.id)
    again = club.ledger.cancel_appointment(club.client, club.organization.id, appointment.id)

    assert cancelled.value.status == "cancelled"
    assert cancelled.position is not None
    assert again.position is None
    assert club.ledger.reservations(slot.resource_ids[0], slot.start.date(), slot.start.date()) == []
    assert stored_types(club.ledger, appointment.id) == [Appointment.Booked, Appointment.Cancelled]
    assert book(club, slot).start == slot.start


def test_an_appointment_cannot_be_cancelled_once_it_started() -> None:
    club = Club.open()
    appointment = book(club, earliest(club)[0])
    started = RequestContext(club.client.principal, appointment.start, "late")

    with pytest.raises(AppointmentStartedError):
        club.ledger.cancel_appointment(started, club.organization.id, appointment.id)


def test_an_appointment_is_read_only_through_its_own_organization() -> None:
    club, other = Club.open(), Club.open()
    appointment = book(club, earliest(club)[0])

    assert club.ledger.get_appointment(club.client, club.organization.id, appointment.id).id == appointment.id
    with pytest.raises(AppointmentNotFoundError):
        club.ledger.get_appointment(admin(), other.organization.id, appointment.id)
    with pytest.raises(AppointmentNotFoundError):
        club.ledger.get_appointment(club.client, club.organization.id, uuid4())


def test_the_customer_is_the_personal_data_of_an_appointment() -> None:
    assert Appointment.PERSONAL_FIELDS == ("customer",)
    assert set(Appointment.PERSONAL_FIELDS) <= set(Appointment.Booked.__dataclass_fields__)
