"""The partner-sync surface: court bookings upserted, read, cancelled and listed by the partner's own ids."""

# Importing the routes adds their router to the surface.
from api.partner_sync import routes
from api.partner_sync.surface import SURFACE

__all__ = ["SURFACE", "routes"]
