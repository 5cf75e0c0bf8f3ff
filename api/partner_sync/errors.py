"""Errors of the partner-sync surface: the Wingfield seed's error types, in the `{"error": {...}}` format."""

from __future__ import annotations

from api.shared import problems
from api.shared.errors import COMMON_TYPES, ErrorTable
from domain import client, court_booking, court_booking_terms, organization, resource_day, user
from domain.court_booking_commands import CourtBookingVersionNotFoundError

PARTNER_SYNC_TYPES: ErrorTable = {
    **COMMON_TYPES,
    court_booking_terms.InvalidTimeRangeError: (400, "invalid_time_range"),
    court_booking_terms.MutuallyExclusiveFieldsError: (400, "mutually_exclusive_fields_violation"),
    court_booking_terms.DuplicateEntriesError: (400, "duplicate_entries_provided"),
    problems.ScopePermissionDeniedError: (403, "scope_permission_denied"),
    problems.ExternalServiceAccessDeniedError: (403, "external_service_access_denied"),
    court_booking.OrganizationAccessDeniedError: (403, "organization_access_denied"),
    court_booking.UserAccessDeniedError: (403, "user_access_denied"),
    organization.CourtNotFoundError: (404, "court_not_found"),
    organization.OrganizationNotFoundError: (404, "organization_not_found"),
    organization.VenueNotFoundError: (404, "venue_not_found"),
    client.ClientNotFoundError: (404, "client_not_found"),
    client.ApiKeyNotFoundError: (404, "api_key_not_found"),
    user.UserNotFoundError: (404, "user_not_found"),
    court_booking.CourtBookingNotFoundError: (404, "court_booking_not_found"),
    CourtBookingVersionNotFoundError: (404, "court_booking_version_not_found"),
    court_booking.StaleWriteError: (409, "stale_write"),
    court_booking.VersionConflictError: (409, "version_conflict"),
    resource_day.CourtBookingOverlapError: (409, "court_booking_overlap"),
}
