"""JSON logs: one object per record, with the request's ids, the access log's fields, and no token shown."""

from __future__ import annotations

import io
import json
import logging
import logging.config
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ledger.logs import (
    CURRENT_REQUEST,
    JsonFormatter,
    RequestIds,
    configure_logging,
    logging_config,
    server_options,
)
from ledger.runtime import resolve_admin_token
from ledger.settings import Settings

JSON = Settings(log_format="json")
ACCESS_ARGS = ("10.0.0.7:51234", "GET", "/api/v1/bookings?organisationId=o", "1.1", 200)


def record(name: str, message: str, args: tuple[Any, ...] = (), **extra: Any) -> logging.LogRecord:
    made = logging.LogRecord(name, logging.INFO, __file__, 1, message, args, None)
    made.__dict__.update(extra)
    return made


def formatted(made: logging.LogRecord) -> dict[str, Any]:
    line = JsonFormatter().format(made)
    assert "\n" not in line
    parsed: dict[str, Any] = json.loads(line)
    return parsed


@pytest.fixture
def in_request() -> Iterator[RequestIds]:
    ids = RequestIds(request_id="req-1", trace_id="4bf92f3577b34da6a3ce929d0e0e4736")
    token = CURRENT_REQUEST.set(ids)
    yield ids
    CURRENT_REQUEST.reset(token)


def test_a_record_outside_a_request_has_null_ids() -> None:
    line = formatted(record("ledger.projections", "view %s resumed", ("bookings",)))

    assert line["message"] == "view bookings resumed"
    assert (line["logger"], line["level"]) == ("ledger.projections", "info")
    assert (line["request_id"], line["trace_id"]) == (None, None)


def test_a_record_written_while_serving_a_request_carries_its_ids(in_request: RequestIds) -> None:
    line = formatted(record("ledger.api", "database unavailable"))

    assert (line["request_id"], line["trace_id"]) == (in_request.request_id, in_request.trace_id)


def test_an_access_log_record_gets_its_fields(in_request: RequestIds) -> None:
    line = formatted(record("uvicorn.access", '%s - "%s %s HTTP/%s" %d', ACCESS_ARGS))

    assert line["client"] == "10.0.0.7:51234"
    assert (line["method"], line["path"], line["status"]) == ("GET", "/api/v1/bookings?organisationId=o", 200)
    assert line["request_id"] == in_request.request_id


def test_an_error_keeps_its_traceback_inside_the_one_line() -> None:
    try:
        raise ValueError("broken")
    except ValueError:
        failed = logging.LogRecord("ledger.api", logging.ERROR, __file__, 1, "failed", (), sys.exc_info())

    line = formatted(failed)

    assert line["level"] == "error"
    assert "ValueError: broken" in line["exception"]


def test_in_json_the_servers_loggers_write_through_the_roots_json_handler() -> None:
    config = logging_config(JSON)
    stream = io.StringIO()
    config["handlers"]["ledger"]["stream"] = stream
    loggers = [logging.root, *(logging.getLogger(name) for name in config["loggers"])]
    previous = [(logger, logger.handlers[:], logger.level, logger.propagate) for logger in loggers]
    try:
        logging.config.dictConfig(config)
        logging.getLogger("uvicorn.error").info("Started server process [%d]", 42)
        logging.getLogger("uvicorn.access").info('%s - "%s %s HTTP/%s" %d', *ACCESS_ARGS)
    finally:
        for logger, handlers, level, propagate in previous:
            logger.handlers[:], logger.propagate = handlers, propagate
            logger.setLevel(level)

    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert [line["logger"] for line in lines] == ["uvicorn.error", "uvicorn.access"]
    assert lines[0]["message"] == "Started server process [42]"
    assert server_options(JSON)["log_config"]["loggers"]["uvicorn.access"]["propagate"] is True


def test_in_text_the_server_keeps_its_own_log_format() -> None:
    assert server_options(Settings()) == {}


def test_a_generated_admin_token_is_printed_in_text_and_never_in_json(tmp_path: Path) -> None:
    shown: list[str] = []
    for log_format in ("text", "json"):
        settings = Settings(log_format=log_format, data_dir=tmp_path / log_format)
        resolve_admin_token(settings, shown.append)

    tokens = [(tmp_path / kind / "admin-token").read_text().strip() for kind in ("text", "json")]
    assert tokens[0] in shown[0]
    assert tokens[1] not in shown[1]
    assert str(tmp_path / "json" / "admin-token") in shown[1]


def test_logging_configured_by_the_host_process_is_left_as_it_is() -> None:
    kept = logging.NullHandler()
    previous = logging.root.handlers[:]
    logging.root.handlers[:] = [kept]
    try:
        configure_logging(JSON)
        assert logging.root.handlers == [kept]
    finally:
        logging.root.handlers[:] = previous
