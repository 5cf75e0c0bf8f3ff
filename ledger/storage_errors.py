"""The storage's errors that mean the database is unavailable, for callers that must not import the driver."""

from __future__ import annotations

import psycopg
from eventsourcing.persistence import InterfaceError, OperationalError

DATABASE_UNAVAILABLE_ERRORS: tuple[type[Exception], ...] = (
    psycopg.OperationalError,
    psycopg.InterfaceError,
    OperationalError,
    InterfaceError,
)
