"""The changes surface: the change feed and webhook subscriptions of a client, below `/api/v1/`."""

# Importing the routes adds their routers to the surface.
from api.changes import deliveries, feed, webhooks
from api.changes.surface import SURFACE

__all__ = ["SURFACE", "deliveries", "feed", "webhooks"]
