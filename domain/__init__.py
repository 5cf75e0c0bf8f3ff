"""The domain core: aggregates with their events and errors, and the application service (the commands)."""
