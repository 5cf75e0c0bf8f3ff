"""Errors of the admin surface: the registry's not-found types, in the `{"error": {...}}` format."""

from __future__ import annotations

from api.shared.errors import COMMON_TYPES, ErrorTable
from domain import (
    booking_rules,
    booking_template,
    client,
    notification_rules,
    organization,
    payments,
    profiles,
    resource_booking_errors,
    template_terms,
    user,
    venue_details,
)
from domain.venue_mappings import VenueMappingNotFoundError

ADMIN_TYPES: ErrorTable = {
    **COMMON_TYPES,
    VenueMappingNotFoundError: (404, "venue_mapping_not_found"),
    organization.CourtNotFoundError: (404, "court_not_found"),
    organization.OrganizationNotFoundError: (404, "organization_not_found"),
    organization.VenueNotFoundError: (404, "venue_not_found"),
    client.ClientNotFoundError: (404, "client_not_found"),
    client.ApiKeyNotFoundError: (404, "api_key_not_found"),
    client.ClientRevokedError: (409, "client_revoked"),
    user.UserNotFoundError: (404, "user_not_found"),
    venue_details.UnknownVenueFieldError: (400, "unknown_field"),
    venue_details.InvalidVenueDetailError: (400, "invalid_venue_detail"),
    profiles.InvalidProfileSchemaError: (400, "invalid_profile_schema"),
    profiles.UnknownProfileFieldError: (400, "unknown_profile_field"),
    profiles.InvalidProfileValueError: (400, "invalid_profile_value"),
    organization.ResourceNotFoundError: (404, "resource_not_found"),
    booking_rules.InvalidBookingRulesError: (400, "invalid_booking_rules"),
    resource_booking_errors.ResourceBookingNotFoundError: (404, "resource_booking_not_found"),
    resource_booking_errors.BookingNotPendingError: (409, "booking_not_pending"),
    template_terms.InvalidBookingTemplateError: (400, "invalid_booking_template"),
    booking_template.BookingTemplateNotFoundError: (404, "booking_template_not_found"),
    payments.InvalidPaymentAccountError: (400, "invalid_payment_account"),
    notification_rules.NotificationRuleNotFoundError: (404, "notification_rule_not_found"),
    notification_rules.InvalidNotificationRuleError: (400, "invalid_notification_rule"),
    notification_rules.TooManyNotificationRulesError: (409, "too_many_notification_rules"),
    notification_rules.EmailNotConfiguredError: (409, "email_not_configured"),
}
