"""The HTTP API: the app factory, one package per surface, and what the surfaces share in `api.shared`."""
