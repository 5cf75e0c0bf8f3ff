"""The bookings surface: LE-KO's coach-event bookings, orders, notifications cron and user-data erasure."""

# Importing the routes adds their router to the surface.
from api.bookings import bookings, lifecycle, notifications, orders, users
from api.bookings.surface import SURFACE

__all__ = ["SURFACE", "bookings", "lifecycle", "notifications", "orders", "users"]
