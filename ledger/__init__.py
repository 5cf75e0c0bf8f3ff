"""Glue for the booking ledger: settings, storage wiring, embedded PostgreSQL and the `ledger` CLI."""
