"""The ledger's application service: the command groups of the domain combined in one application."""

from __future__ import annotations

from typing import Any, ClassVar

from domain.booking_commands import BookingCommands
from domain.booking_lifecycle_commands import BookingLifecycleCommands
from domain.calendar_commands import CalendarCommands
from domain.court_booking import CourtBooking
from domain.court_booking_commands import CourtBookingCommands
from domain.court_booking_upserts import CourtBookingUpserts
from domain.erasure_commands import ErasureCommands
from domain.mapping_lists import MappingPage
from domain.module_commands import ModuleCommands
from domain.notification_commands import NotificationCommands
from domain.oauth_commands import OAuthCommands
from domain.profile_commands import ProfileCommands
from domain.registry_commands import RegistryCommands
from domain.resource_booking_commands import ResourceBookingCommands
from domain.resource_mapping_commands import ResourceMappingCommands
from domain.resource_payment_commands import ResourcePaymentCommands
from domain.resource_rules_commands import ResourceRulesCommands
from domain.user_mapping_commands import UserMappingCommands
from domain.venue_commands import VenueCommands
from domain.venue_mapping_commands import VenueMappingCommands
from domain.venue_resources import VenueResources
from domain.webhook_commands import WebhookCommands


class Ledger(
    RegistryCommands,
    CalendarCommands,
    CourtBookingCommands,
    CourtBookingUpserts,
    BookingCommands,
    BookingLifecycleCommands,
    UserMappingCommands,
    ResourceMappingCommands,
    VenueMappingCommands,
    ModuleCommands,
    VenueCommands,
    ProfileCommands,
    ResourceRulesCommands,
    ResourcePaymentCommands,
    ResourceBookingCommands,
    OAuthCommands,
    WebhookCommands,
    NotificationCommands,
    ErasureCommands,
):
    """The event-sourced booking ledger; its methods are the commands of its groups."""

    # A snapshot every 100 events bounds the events replayed to read a long-lived booking at any version,
    # or a page of a client's mappings, which grows to a thousand entries and is read at every registration,
    # or a venue's list of resources, read at every resource created in the venue.
    # Snapshots copy the aggregate's state, personal fields included, so erasure must cover them too.
    snapshotting_intervals: ClassVar[dict[type[Any], int]] = {
        CourtBooking: 100,
        MappingPage: 100,
        VenueResources: 100,
    }
