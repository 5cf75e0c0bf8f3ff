"""The query surface: every booking of an organisation with filters and profiles, and its profile schema."""

# Importing the routes adds their router to the surface.
from api.query import analytics_routes, routes
from api.query.surface import SURFACE

__all__ = ["SURFACE", "analytics_routes", "routes"]
