"""The bookings-and-orders surface (LE-KO): orders, payments, and the lifecycle of their bookings."""

# Importing the route modules adds their routers to the surface.
from api.bookings import bookings, lifecycle, orders, users
from api.bookings.surface import SURFACE

__all__ = ["SURFACE", "bookings", "lifecycle", "orders", "users"]
