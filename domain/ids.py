"""Natural keys mapped to uuid5 ids, so that a look-up by natural key is a primary-key read."""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from uuid import NAMESPACE_URL, UUID, uuid5

_NAMESPACE = UUID("6f6b1c52-3b8a-4a52-9a61-2d0e5bb1e0f4")
_COURT_BOOKING = uuid5(_NAMESPACE, "court-booking")
_RESOURCE_DAY = uuid5(_NAMESPACE, "resource-day")
_API_KEY = uuid5(_NAMESPACE, "api-key")
_CLIENT_USER = uuid5(_NAMESPACE, "client-user")
_USER_CLIENTS = uuid5(_NAMESPACE, "user-clients")
_NUMBER_INDEX = uuid5(_NAMESPACE, "number-index")
_PROFILE_SCHEMA = uuid5(_NAMESPACE, "profile-schema")
_MEMBER_PROFILE = uuid5(_NAMESPACE, "member-profile")
_REFERENCE_CODE = uuid5(_NAMESPACE, "reference-code")
_VENUE_RESOURCES = uuid5(_NAMESPACE, "venue-resources")


def court_booking_id(external_service_id: UUID, external_court_booking_id: str) -> UUID:
    return uuid5(_COURT_BOOKING, f"{external_service_id}/{external_court_booking_id}")


# A batch names each calendar day several times (to read, group, decide and save it); uuid5 hashes each time.
@lru_cache(maxsize=65_536)
def resource_day_id(resource_id: UUID, day: date) -> UUID:
    return uuid5(_RESOURCE_DAY, f"{resource_id}/{day.isoformat()}")


def api_key_id(key_hash: str) -> UUID:
    return uuid5(_API_KEY, key_hash)


def client_user_link_id(client_id: UUID, user_id: UUID) -> UUID:
    return uuid5(_CLIENT_USER, f"{client_id}/{user_id}")


def user_clients_id(user_id: UUID) -> UUID:
    return uuid5(_USER_CLIENTS, str(user_id))


def order_id(client_id: UUID | None, idempotency_key: str) -> UUID:
    """The order placed under an Idempotency-Key, so that a retried POST finds the order it placed."""
    return uuid5(client_id or NAMESPACE_URL, f"order:{idempotency_key}")


def number_index_id(kind: str, number: int) -> UUID:
    """The index entry of a venue's, resource's or booking's integer number; one number, one entry."""
    return uuid5(_NUMBER_INDEX, f"{kind}/{number}")


def profile_schema_id(organization_id: UUID) -> UUID:
    return uuid5(_PROFILE_SCHEMA, str(organization_id))


def member_profile_id(organization_id: UUID, user_id: UUID) -> UUID:
    return uuid5(_MEMBER_PROFILE, f"{organization_id}/{user_id}")


def venue_resources_id(venue_id: UUID) -> UUID:
    """The index of the resources of a venue."""
    return uuid5(_VENUE_RESOURCES, str(venue_id))


_USER_EMAIL = uuid5(_NAMESPACE, "user-email")
_CLIENT_MAPPING = uuid5(_NAMESPACE, "client-mapping")
_MAPPED_ENTITY = uuid5(_NAMESPACE, "mapped-entity")
_MAPPING_PAGE = uuid5(_NAMESPACE, "mapping-page")


def user_email_id(email: str) -> UUID:
    """The email index entry of a normalized email address."""
    return uuid5(_USER_EMAIL, email)


def client_mapping_id(kind: str, client_id: UUID, external_id: str) -> UUID:
    """A client's mapping of one of its external ids; `kind` (user, resource, venue) keeps the kinds apart."""
    return uuid5(_CLIENT_MAPPING, f"{kind}/{client_id}/{external_id}")


def mapped_entity_id(kind: str, client_id: UUID, entity_id: UUID) -> UUID:
    """Which external id of a client maps a venue or resource: one per entity and client."""
    return uuid5(_MAPPED_ENTITY, f"{kind}/{client_id}/{entity_id}")


def mapping_page_id(kind: str, client_id: UUID, page: int) -> UUID:
    """One page of a client's list of mappings of `kind`, counted from 0."""
    return uuid5(_MAPPING_PAGE, f"{kind}/{client_id}/{page}")


def reference_code_id(code: str) -> UUID:
    """The index entry of a booking's reference code (`BK-250115-A7F3`); one code, one booking."""
    return uuid5(_REFERENCE_CODE, code)


_VENUE_PAYMENT_ACCOUNT = uuid5(_NAMESPACE, "venue-payment-account")
_PAYMENT_INTENT = uuid5(_NAMESPACE, "payment-intent")


def venue_payment_account_id(venue_id: UUID) -> UUID:
    """The venue's payment account: which connected account of the provider receives its payments."""
    return uuid5(_VENUE_PAYMENT_ACCOUNT, str(venue_id))


def payment_intent_index_id(payment_intent_id: str) -> UUID:
    """The index entry of a provider's payment intent: which booking it pays for."""
    return uuid5(_PAYMENT_INTENT, payment_intent_id)


def resource_booking_id(client_id: UUID, idempotency_key: str) -> UUID:
    """The resource booking made under an Idempotency-Key: a retried POST finds the booking it made."""
    return uuid5(client_id, f"resource-booking:{idempotency_key}")
