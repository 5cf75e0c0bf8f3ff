"""The operations surface: metrics for Prometheus (`/ready` sits beside `/health`, in api/app.py)."""

# Importing the routes adds their router to the surface.
from api.operations import routes
from api.operations.surface import SURFACE

__all__ = ["SURFACE", "routes"]
