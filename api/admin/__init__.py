"""The admin surface: the registry (organizations, venues, courts, clients, keys, users) and coach events."""

# Importing the routes adds their router to the surface.
from api.admin import booking_rules, routes
from api.admin.surface import SURFACE

__all__ = ["SURFACE", "booking_rules", "routes"]
