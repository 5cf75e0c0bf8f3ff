"""The README's walk-through, run as written against `ledger serve` with JSON logs, paying through Stripe's
stand-in: every call succeeds, and its log is one JSON object per line, with the request's ids, and holds no
secret or personal value it used."""

from __future__ import annotations

import json
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.payments_support import paid_environment
from tests.reliability.processes import ledger_served
from tests.stripe_stand_in import StripeStandIn

README = Path(__file__).resolve().parents[2] / "README.md"
SHELL_BLOCK = re.compile(r"```sh\n(.*?)```", re.DOTALL)
LOCAL_LEDGER = "L=http://127.0.0.1:8000"
VENUE_ACCOUNT = re.compile(r'"stripeAccountId": "(acct_[A-Za-z0-9]+)"')
EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")
PERSON_NAME = re.compile(r'(?:first_?[nN]ame|last_?[nN]ame|Full Name)\\?": \\?"([^"\\]+)')
TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736"
PROBE_REQUEST_ID = "readme-json-log-probe"
SECRET_MARK = "SECRET-VALUE "
# After the walk-through: a request with the caller's ids, a credential and an email in query strings
# (refused or redacted in the log), then every secret the session held, for the test to look for in the log.
PROBE_HEADERS = f'-H "x-request-id: {PROBE_REQUEST_ID}" -H "traceparent: 00-{TRACE_ID}-00f067aa0ba902b7-01"'
SECRETS = '"$KEY" "$OKEY" "$AKEY" "$SECRET" "$REFRESH" "$ACCESS" "${TOKEN#Authorization: Token }"'
EPILOGUE = f"""
curl -s -o /dev/null $L/health {PROBE_HEADERS}
curl -s -o /dev/null "$L/api/v1/external-services/$SERVICE/court-bookings?api_key=$KEY"
curl -s -o /dev/null "$L/api/v1/bookings?organisationId=$ORG&userEmail=ana%40example.com" \\
  -H "x-api-key: $AKEY"
printf '\\n'
printf '{SECRET_MARK}%s\\n' {SECRETS}
"""


def walkthrough_script(url: str) -> str:
    """The README's shell blocks that call the ledger, in order, pointed at `url`, stopping at a failure."""
    blocks = [block for block in SHELL_BLOCK.findall(README.read_text()) if "$L/" in block]
    script = "\n".join(blocks)
    if LOCAL_LEDGER not in script:
        raise AssertionError(f"the README's walk-through no longer sets {LOCAL_LEDGER}")
    return "set -euo pipefail\n" + script.replace(LOCAL_LEDGER, f"L={url}")


@dataclass(frozen=True)
class Session:
    """What the walk-through printed, the server's log lines, and the secrets and personal values it used."""

    returncode: int
    output: str
    log_lines: list[str]
    secrets: list[str]
    emails: set[str]
    names: set[str]


@pytest.fixture(scope="module")
def session(database_url: str, tmp_path_factory: pytest.TempPathFactory, stand_in: StripeStandIn) -> Session:
    workdir = tmp_path_factory.mktemp("readme")
    environment = {**paid_environment(stand_in.url), "LEDGER_LOG_FORMAT": "json"}
    with ledger_served(database_url, "readme", workdir / "data", env=environment) as served:
        # The walk-through reads the admin token where `make run` keeps it.
        (workdir / ".ledger").mkdir()
        (workdir / ".ledger" / "admin-token").write_text(served.admin_token)
        script = walkthrough_script(served.server.url)
        result = subprocess.run(
            ["bash", "-c", script + EPILOGUE],
            cwd=workdir,
            capture_output=True,
            text=True,
            timeout=300,
        )
        served.server.stop()
    log = served.server.log_path.read_text()
    return Session(
        returncode=result.returncode,
        output=result.stdout + result.stderr,
        # The test harness marks each start of the server in the same file.
        log_lines=[line for line in log.splitlines() if line and not line.startswith("--- start")],
        secrets=[served.admin_token, *re.findall(f"^{SECRET_MARK}(.+)$", result.stdout, re.MULTILINE)],
        emails={email.lower() for email in EMAIL.findall(script)},
        names=set(PERSON_NAME.findall(script)),
    )


def test_the_readmes_walkthrough_runs_as_written_and_every_call_succeeds(
    session: Session, stand_in: StripeStandIn
) -> None:
    assert session.returncode == 0, session.output
    assert "HTTP/1.1 201" in session.output, session.output
    assert '"error' not in session.output, session.output
    # The payment intent of the 37.50 booking, asked of the provider on the venue's account.
    [account] = VENUE_ACCOUNT.findall(README.read_text())
    [intent] = stand_in.intents_created()
    assert (intent.form["amount"], intent.form["currency"]) == ("3750", "eur")
    assert intent.headers["stripe-account"] == account
    assert '"amount":"37.50"' in session.output, session.output


def test_every_log_line_is_one_json_object_and_each_request_carries_its_ids(session: Session) -> None:
    lines: list[dict[str, Any]] = [json.loads(line) for line in session.log_lines]

    assert all(
        {"time", "level", "logger", "message", "request_id", "trace_id"} <= set(line) for line in lines
    )
    access = [line for line in lines if line["logger"] == "uvicorn.access"]
    assert len(access) > 50
    assert all(line["request_id"] and line["trace_id"] for line in access)
    [probe] = [line for line in access if line["request_id"] == PROBE_REQUEST_ID]
    assert (probe["trace_id"], probe["path"], probe["status"]) == (TRACE_ID, "/health", 200)
    assert any(line["path"].endswith("court-bookings?api_key=[redacted]") for line in access)
    assert any("userEmail=[redacted]" in line["path"] for line in access)


def test_no_log_line_holds_a_secret_or_a_personal_value_of_the_session(session: Session) -> None:
    assert len(session.secrets) == 8, session.output
    assert {"ana@example.com", "athlete@example.com", "jd@scrubs.doc"} <= session.emails
    assert {"Ana Lopez", "John", "Jane", "Doe"} <= session.names

    for number, line in enumerate(session.log_lines, start=1):
        shown = [secret for secret in session.secrets if secret in line]
        shown += [email for email in session.emails if email in line.lower()]
        shown += [name for name in session.names if re.search(rf"\b{re.escape(name)}\b", line)]
        assert not shown, f"log line {number} shows {shown}: {line}"
