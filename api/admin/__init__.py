"""The admin surface: the registry, venue details, profiles, coach events and booking templates."""

# Importing the routers' modules adds their routers to the surface.
from api.admin import (
    booking_rules,
    booking_template_routes,
    notification_routes,
    oauth_routes,
    payment_routes,
    profile_routes,
    routes,
    venue_mapping_routes,
    venue_routes,
)
from api.admin.surface import SURFACE

__all__ = [
    "SURFACE",
    "booking_rules",
    "booking_template_routes",
    "notification_routes",
    "oauth_routes",
    "payment_routes",
    "profile_routes",
    "routes",
    "venue_mapping_routes",
    "venue_routes",
]
