"""The console: web pages for auditors and analysts, on the same views and commands as the APIs."""

from api.console import page_routes, session_routes
from api.console.surface import SURFACE

__all__ = ["SURFACE", "page_routes", "session_routes"]
