"""Natural keys map to uuid5 ids that must never change, since stored events are addressed by them."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from domain.ids import (
    api_key_id,
    client_user_link_id,
    court_booking_id,
    member_profile_id,
    number_index_id,
    order_id,
    profile_schema_id,
    resource_day_id,
    user_clients_id,
)


def test_court_booking_id_is_stable_for_its_service_and_external_id() -> None:
    assert court_booking_id(UUID(int=1), "partner-booking-1") == UUID("b0758020-69d3-5d92-ac0e-ee54abb215be")


def test_court_booking_ids_differ_between_services() -> None:
    first = court_booking_id(UUID(int=1), "partner-booking-1")

    second = court_booking_id(UUID(int=2), "partner-booking-1")

    assert first != second


def test_resource_day_id_is_stable_for_its_resource_and_date() -> None:
    assert resource_day_id(UUID(int=3), date(2030, 1, 1)) == UUID("068a010f-b7fb-500f-8b2b-0296bb4c935e")


def test_api_key_id_is_stable_for_its_hash() -> None:
    assert api_key_id("0" * 64) == UUID("3d2a6bc5-c38a-5160-9fa4-5afa82222e28")


def test_client_user_link_id_is_stable_for_its_pair() -> None:
    assert client_user_link_id(UUID(int=5), UUID(int=6)) == UUID("f8466d68-ce7e-5abf-8dd9-c53e154ce4b6")


def test_user_clients_id_is_stable_for_its_user() -> None:
    assert user_clients_id(UUID(int=6)) == UUID("81a6176b-2a8e-5d0c-986f-7c51193a5c47")


def test_user_clients_id_differs_from_the_users_own_id_and_its_links() -> None:
    assert user_clients_id(UUID(int=6)) not in {UUID(int=6), client_user_link_id(UUID(int=5), UUID(int=6))}


def test_order_id_is_stable_for_its_client_and_idempotency_key() -> None:
    assert order_id(UUID(int=1), "key-1") == UUID("55d5446b-44b6-53dc-8ab2-3bf2cbc5804d")


def test_order_id_without_a_client_is_stable_for_its_idempotency_key() -> None:
    assert order_id(None, "key-1") == UUID("32c65bd0-ddc8-5494-951b-72412d48716a")


def test_number_index_id_is_stable_for_its_kind_and_number() -> None:
    assert number_index_id("venue", 1) == UUID("f3e0843d-c6a1-5108-8991-157edf825662")
    assert number_index_id("resource", 1) == UUID("2bb4bdf7-1629-5258-9921-4f1cbbd0e8c5")


def test_profile_ids_are_stable_for_their_organization_and_member() -> None:
    assert profile_schema_id(UUID(int=1)) == UUID("7bf23fd1-2f33-5b94-8e3a-3d7a15cd4780")
    assert member_profile_id(UUID(int=1), UUID(int=2)) == UUID("b843b1bf-ee34-5b66-9a74-c2ce3d20b860")
