"""The admin surface: the registry, venue details, profiles and coach events."""

# Importing the routers' modules adds their routers to the surface.
from api.admin import booking_rules, payment_routes, profile_routes, routes, venue_routes
from api.admin.surface import SURFACE

__all__ = ["SURFACE", "booking_rules", "payment_routes", "profile_routes", "routes", "venue_routes"]
