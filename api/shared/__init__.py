"""What every surface shares: request context, limits, errors and their formats, auth, the surface type."""
