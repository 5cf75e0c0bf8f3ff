"""`ledger admin` manages a client's notification rules as the admin API does, against real PostgreSQL."""

from __future__ import annotations

import json
import uuid

import pytest

from domain.context import ADMIN, RequestContext
from ledger.cli import main
from ledger.runtime import Runtime
from tests.integration.test_cli_booking_rules import run


def new_client(runtime: Runtime) -> str:
    ctx = RequestContext(ADMIN, runtime.clock(), f"test-{uuid.uuid4().hex}")
    organization = runtime.ledger.create_organization(ctx, "Club", "Europe/Berlin").value
    return str(runtime.ledger.create_client(ctx, "Partner", [], [organization.id]).value.id)


@pytest.mark.usefixtures("cli_env")
def test_a_rule_is_added_listed_updated_and_removed_from_the_command_line(
    capsys: pytest.CaptureFixture[str], runtime: Runtime
) -> None:
    client = new_client(runtime)
    terms = ["--trigger", "booking.rejected", "--audience", "athlete", "--channel", "webhook"]

    added = run(capsys, "admin", "add-notification-rule", "--client-id", client, *terms)
    reminder = [
        "--trigger",
        "before_start",
        "--minutes-before",
        "30",
        "--audience",
        "both",
        "--channel",
        "webhook",
    ]
    rule = ["--client-id", client, "--rule-id", added["id"]]
    updated = run(capsys, "admin", "update-notification-rule", *rule, *reminder)
    listed = run(capsys, "admin", "list-notification-rules", "--client-id", client)
    removed = run(capsys, "admin", "remove-notification-rule", *rule)

    assert (added["clientId"], added["trigger"], added["audience"]) == (client, "booking.rejected", "athlete")
    assert (updated["trigger"], updated["minutesBefore"], updated["audience"]) == ("before_start", 30, "both")
    assert listed == {"rules": [updated]}
    assert removed == {"ok": True}
    assert runtime.ledger.notification_rules(uuid.UUID(client)) == []


@pytest.mark.usefixtures("cli_env")
def test_a_reminder_without_its_minutes_is_refused_and_adds_nothing(
    capsys: pytest.CaptureFixture[str], runtime: Runtime
) -> None:
    client = new_client(runtime)
    terms = ["--trigger", "before_start", "--audience", "coach", "--channel", "webhook"]

    assert main(["admin", "add-notification-rule", "--client-id", client, *terms]) == 1

    assert json.loads(capsys.readouterr().err)["error"]["type"] == "InvalidNotificationRuleError"
    assert runtime.ledger.notification_rules(uuid.UUID(client)) == []
