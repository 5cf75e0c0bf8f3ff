"""The HTTP API: app factory, one router per surface, schemas, error mapping and auth."""
