"""The tables of the bookings query view: one row per booking, its per-organisation counts, its references."""

from __future__ import annotations

from projections.tables import Table

BOOKINGS = "analytics_bookings"
COUNTS = "analytics_booking_counts"
PLACES = "analytics_places"
TENANCY = "analytics_tenancy"
USERS = "analytics_users"
PROFILES = "analytics_member_profiles"

ANALYTICS_BOOKINGS = Table(
    BOOKINGS,
    columns={
        "booking_id": "uuid PRIMARY KEY",
        "organisation_id": "uuid",
        "source": "text NOT NULL",
        "booking_type": "text NOT NULL",
        "status": "text NOT NULL",
        "user_status": "text NOT NULL",
        "start_at": "timestamptz NOT NULL",
        "end_at": "timestamptz NOT NULL",
        "local_date": "date NOT NULL",
        "event_id": "uuid",
        "member_id": "uuid",
        "resource_id": "uuid",
        "venue_id": "uuid",
        "client_id": "uuid",
        "order_id": "uuid",
        "price": "numeric",
        "currency": "text",
        "created_at": "timestamptz NOT NULL",
        "updated_at": "timestamptz NOT NULL",
        "position": "bigint NOT NULL",
        "document": "jsonb NOT NULL",
    },
    indexes={
        "by_org_start": "(organisation_id, start_at, booking_id)",
        "by_org_event": "(organisation_id, event_id, start_at, booking_id)",
        "by_org_member": "(organisation_id, member_id, start_at, booking_id)",
        "by_org_date": "(organisation_id, local_date, start_at, booking_id)",
        # Any other field of the document: `document @> {...}` is answered by this one index.
        "by_document": "USING gin (document jsonb_path_ops)",
    },
)
BOOKING_COUNTS = Table(
    COUNTS,
    columns={"organisation_id": "uuid PRIMARY KEY", "bookings": "bigint NOT NULL"},
)
# Organisations (no parent), venues (parent: organisation) and resources (parent: venue).
PLACES_TABLE = Table(
    PLACES,
    columns={"place_id": "uuid PRIMARY KEY", "parent_id": "uuid", "name": "text", "timezone": "text"},
    # The console lists an organisation's venues and a venue's courts by name.
    indexes={"by_parent": "(parent_id, name, place_id)"},
)
# The organisations a coach event (its own, or none) or a client (those granted to it) belongs to.
TENANCY_TABLE = Table(
    TENANCY,
    columns={"subject_id": "uuid PRIMARY KEY", "organisation_ids": "uuid[] NOT NULL"},
)
USERS_TABLE = Table(USERS, columns={"user_id": "uuid PRIMARY KEY", "email": "text", "name": "text"})
PROFILES_TABLE = Table(
    PROFILES,
    columns={
        "profile_id": "uuid PRIMARY KEY",
        "organisation_id": "uuid NOT NULL",
        "user_id": "uuid NOT NULL",
        "field_values": "jsonb NOT NULL",
    },
    # Erasure clears a user's values in every organisation.
    indexes={"by_user": "(user_id)"},
)
TABLES = (ANALYTICS_BOOKINGS, BOOKING_COUNTS, PLACES_TABLE, TENANCY_TABLE, USERS_TABLE, PROFILES_TABLE)
