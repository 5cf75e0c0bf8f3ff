"""Errors of the admin surface: the registry's not-found types, in the `{"error": {...}}` format."""

from __future__ import annotations

from api.shared.errors import COMMON_TYPES, ErrorTable
from domain import client, organization, user
from domain.venue_mappings import VenueMappingNotFoundError

ADMIN_TYPES: ErrorTable = {
    **COMMON_TYPES,
    VenueMappingNotFoundError: (404, "venue_mapping_not_found"),
    organization.CourtNotFoundError: (404, "court_not_found"),
    organization.OrganizationNotFoundError: (404, "organization_not_found"),
    organization.VenueNotFoundError: (404, "venue_not_found"),
    client.ClientNotFoundError: (404, "client_not_found"),
    client.ApiKeyNotFoundError: (404, "api_key_not_found"),
    user.UserNotFoundError: (404, "user_not_found"),
}
