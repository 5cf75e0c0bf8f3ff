"""Errors of the audit surface: the Wingfield seed's error types that a history read can meet."""

from __future__ import annotations

from api.shared import problems
from api.shared.errors import COMMON_TYPES, ErrorTable
from domain import client, court_booking

AUDIT_TYPES: ErrorTable = {
    **COMMON_TYPES,
    problems.ScopePermissionDeniedError: (403, "scope_permission_denied"),
    problems.ExternalServiceAccessDeniedError: (403, "external_service_access_denied"),
    client.ClientNotFoundError: (404, "client_not_found"),
    court_booking.CourtBookingNotFoundError: (404, "court_booking_not_found"),
}
