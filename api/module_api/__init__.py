"""The module API (the bookingtime seed): booking templates, slots and appointments, for OAuth clients."""

# Importing the routes adds their routers to the surface.
from api.module_api import appointments, templates
from api.module_api.surface import SURFACE

__all__ = ["SURFACE", "appointments", "templates"]
