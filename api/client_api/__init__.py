"""The client API (MatchEngine dialect) below `/matchengine`: mappings by your ids, availability, bookings."""

# Importing the routers' modules adds their routers to the surface.
from api.client_api import availability, bookings, payments, resources, users, venues
from api.client_api.surface import SURFACE

__all__ = ["SURFACE", "availability", "bookings", "payments", "resources", "users", "venues"]
