"""The admin surface: the registry (organizations, venues, courts, clients, keys, users) and coach events."""

# Importing the routers' modules adds their routers to the surface.
from api.admin import routes, venue_mapping_routes
from api.admin.surface import SURFACE

__all__ = ["SURFACE", "routes", "venue_mapping_routes"]
