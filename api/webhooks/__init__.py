"""The payment webhooks surface: the payment provider's signed notifications about payments."""

# Importing the routes adds their router to the surface.
from api.webhooks import routes
from api.webhooks.surface import SURFACE

__all__ = ["SURFACE", "routes"]
