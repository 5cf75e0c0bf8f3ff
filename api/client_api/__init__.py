"""The client API (MatchEngine dialect) below `/matchengine`: users, resources and venues by your ids."""

# Importing the routers' modules adds their routers to the surface.
from api.client_api import resources, users, venues
from api.client_api.surface import SURFACE

__all__ = ["SURFACE", "resources", "users", "venues"]
