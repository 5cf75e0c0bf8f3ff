"""The audit surface: the event history of a court booking, for auditors."""

# Importing the routes adds their router to the surface.
from api.audit import routes
from api.audit.surface import SURFACE

__all__ = ["SURFACE", "routes"]
