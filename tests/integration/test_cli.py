"""The `ledger` CLI against real PostgreSQL: admin operations and the rebuild command."""

from __future__ import annotations

import json
import threading
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from ledger.cli import main
from ledger.runtime import Runtime
from ledger.settings import Settings
from replay.rebuild import differing_rows, rebuild_view
from replay.rebuild_log import last_rebuilds
from tests.integration.test_projection_and_rebuild import VIEW_WAIT_SECONDS, seeded_service
from tests.support import random_day


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> Any:
    assert main(list(argv)) == 0
    return json.loads(capsys.readouterr().out)


@pytest.mark.usefixtures("cli_env")
def test_admin_commands_bootstrap_a_client_whose_key_authenticates(
    capsys: pytest.CaptureFixture[str], settings: Settings
) -> None:
    organization = run(
        capsys, "admin", "create-organization", "--name", "Club", "--timezone", "Europe/Madrid"
    )
    venue = run(capsys, "admin", "create-venue", "--organization-id", organization["id"], "--name", "Centre")
    court = run(capsys, "admin", "create-court", "--venue-id", venue["id"], "--name", "Pista 1")
    client = run(
        capsys,
        "admin",
        "create-client",
        "--name",
        "Partner",
        "--scope",
        "court-bookings:write",
        "--scope",
        "court-bookings:read",
        "--organization-id",
        organization["id"],
    )
    key = run(capsys, "admin", "create-api-key", "--client-id", client["id"])
    user = run(capsys, "admin", "create-user", "--email", "Someone@Example.com")
    link = run(capsys, "admin", "link-user", "--client-id", client["id"], "--user-id", user["id"])
    listed = run(capsys, "admin", "get-client", "--client-id", client["id"])

    assert court["organizationId"] == organization["id"]
    assert court["venueId"] == venue["id"]
    assert sorted(client["scopes"]) == ["court-bookings:read", "court-bookings:write"]
    assert key["key"].startswith(key["prefix"])
    assert user["email"] == "someone@example.com"
    assert link == {"clientId": client["id"], "userId": user["id"]}
    assert [entry["prefix"] for entry in listed["apiKeys"]] == [key["prefix"]]
    assert key["key"] not in json.dumps(listed)


@pytest.mark.usefixtures("cli_env")
def test_revoked_key_is_listed_with_its_revocation_time(capsys: pytest.CaptureFixture[str]) -> None:
    organization = run(capsys, "admin", "create-organization", "--name", "Club", "--timezone", "UTC")
    client = run(capsys, "admin", "create-client", "--name", "P", "--organization-id", organization["id"])
    key = run(capsys, "admin", "create-api-key", "--client-id", client["id"])

    assert run(capsys, "admin", "revoke-api-key", "--client-id", client["id"], "--key-id", key["id"]) == {
        "ok": True
    }
    listed = run(capsys, "admin", "get-client", "--client-id", client["id"])
    assert listed["apiKeys"][0]["revokedAt"] is not None


@pytest.mark.usefixtures("cli_env")
def test_admin_command_for_an_unknown_organization_fails_with_a_clear_error(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code = main(
        ["admin", "create-venue", "--organization-id", "00000000-0000-0000-0000-000000000001", "--name", "V"]
    )

    assert code == 1
    assert "OrganizationNotFoundError" in capsys.readouterr().err


@pytest.mark.usefixtures("cli_env")
def test_rebuild_command_reports_the_events_it_replayed(capsys: pytest.CaptureFixture[str]) -> None:
    report = run(capsys, "replay", "rebuild", "court-bookings")

    assert report["view"] == "court-bookings"
    assert report["events"] > 0
    assert report["position"] >= report["events"]


class Writers:
    """Threads revising and cancelling court bookings through the ledger until stopped; their positions."""

    def __init__(self, runtime: Runtime, count: int) -> None:
        self.runtime = runtime
        self.positions: list[int] = []
        self.errors: list[BaseException] = []
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._write) for _ in range(count)]

    def _write(self) -> None:
        ctx, service, court = seeded_service(self.runtime)
        ledger, first_day = self.runtime.ledger, random_day()
        updated = datetime(2030, 1, 1, tzinfo=UTC)
        email = [(None, "writer@example.com")]
        index = 0
        try:
            while not self._stop.is_set():
                external_id, start = f"w-{index}", first_day + timedelta(days=index)
                for hours, stamp in ((1, updated), (2, updated + timedelta(1))):
                    end = start + timedelta(hours=hours)
                    outcome = ledger.upsert_court_booking(
                        ctx, service, external_id, court, start, end, email, stamp
                    )
                    self.positions.append(outcome.position or 0)
                if index % 2:
                    outcome = ledger.cancel_court_booking(ctx, service, external_id, updated + timedelta(2))
                    self.positions.append(outcome.position or 0)
                index += 1
        except BaseException as error:
            self.errors.append(error)

    def wait_for_writes_after(self, position: int, count: int = 10) -> bool:
        """Whether `count` writes past `position` are acknowledged within the view wait."""
        deadline = time.monotonic() + VIEW_WAIT_SECONDS
        while sum(1 for written in self.positions if written > position) < count:
            if time.monotonic() > deadline or self.errors:
                return False
            time.sleep(0.01)
        return True

    def __enter__(self) -> Writers:
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=60)


@pytest.mark.usefixtures("cli_env")
def test_rebuild_command_swapping_while_writers_write_leaves_the_view_equal_to_the_log(
    capsys: pytest.CaptureFixture[str], runtime: Runtime
) -> None:
    view = runtime.court_bookings
    with Writers(runtime, count=2) as writers:
        for _ in range(3):
            before = runtime.ledger.recorder.max_notification_id() or 0
            assert writers.wait_for_writes_after(before)
            began = runtime.ledger.recorder.max_notification_id() or 0
            swapped_at = run(capsys, "replay", "rebuild", "court-bookings")["position"]
            # Writes committed while the rebuild ran; the live runner applies later ones to the new table.
            assert any(began < written <= swapped_at for written in writers.positions)
            assert writers.wait_for_writes_after(swapped_at)

    assert writers.errors == []
    assert view.wait_for(max(writers.positions), VIEW_WAIT_SECONDS)
    fresh = rebuild_view(runtime.ledger, view, swap=False)
    assert view.wait_for(fresh.position, VIEW_WAIT_SECONDS)
    assert differing_rows(view, fresh.table) == 0


@pytest.mark.usefixtures("cli_env")
def test_coach_event_commands_schedule_show_and_cancel_an_event(capsys: pytest.CaptureFixture[str]) -> None:
    coach = run(capsys, "admin", "create-user", "--email", "coach@example.com")
    sport = "7d1f3d0e-1c5e-4f7a-9a4e-0d6b2f8c9e11"
    event_args = ["--coach-id", coach["id"], "--sport-id", sport, "--seats", "3", "--price", "2500"]
    times = ["--start-at", "2040-03-01T10:00:00Z", "--end-at", "2040-03-01T11:30:00+00:00"]

    scheduled = run(capsys, "admin", "create-coach-event", *event_args, *times)
    shown = run(capsys, "admin", "get-coach-event", "--event-id", scheduled["eventId"])
    canceled = run(capsys, "admin", "cancel-coach-event", "--event-id", scheduled["eventId"])

    assert shown == scheduled
    assert scheduled["timeslot"]["numberOfParticipants"] == 3
    assert scheduled["timeslot"]["duration"] == 90
    assert scheduled["status"] == "Active"
    assert canceled["status"] == "Canceled"


@pytest.mark.usefixtures("cli_env")
def test_coach_event_command_refuses_ages_outside_the_seed_range(capsys: pytest.CaptureFixture[str]) -> None:
    coach = run(capsys, "admin", "create-user", "--email", "coach2@example.com")

    code = main(
        [
            *("admin", "create-coach-event", "--coach-id", coach["id"], "--sport-id", coach["id"]),
            *("--seats", "2", "--price", "100", "--age-from", "17"),
            *("--start-at", "2040-03-01T10:00:00Z", "--end-at", "2040-03-01T11:00:00Z"),
        ]
    )

    assert code == 1
    assert "invalid_schema" in capsys.readouterr().err


@pytest.mark.usefixtures("cli_env")
def test_coach_event_command_places_the_event_in_the_organization_given(
    capsys: pytest.CaptureFixture[str],
) -> None:
    organization = run(capsys, "admin", "create-organization", "--name", "Club", "--timezone", "UTC")
    coach = run(capsys, "admin", "create-user", "--email", "coach3@example.com")
    times = ["--start-at", "2040-03-02T10:00:00Z", "--end-at", "2040-03-02T11:00:00Z"]
    event_args = ["--coach-id", coach["id"], "--sport-id", coach["id"], "--seats", "2", "--price", "100"]

    scheduled = run(
        capsys, "admin", "create-coach-event", *event_args, *times, "--organization-id", organization["id"]
    )
    shown = run(capsys, "admin", "get-coach-event", "--event-id", scheduled["eventId"])

    assert scheduled["organizationId"] == organization["id"]
    assert shown == scheduled


@pytest.mark.usefixtures("cli_env")
def test_coach_event_command_in_an_unknown_organization_fails_with_a_clear_error(
    capsys: pytest.CaptureFixture[str],
) -> None:
    coach = run(capsys, "admin", "create-user", "--email", "coach4@example.com")

    code = main(
        [
            *("admin", "create-coach-event", "--coach-id", coach["id"], "--sport-id", coach["id"]),
            *("--seats", "2", "--price", "100", "--organization-id", "00000000-0000-0000-0000-000000000001"),
            *("--start-at", "2040-03-01T10:00:00Z", "--end-at", "2040-03-01T11:00:00Z"),
        ]
    )

    assert code == 1
    assert "OrganizationNotFoundError" in capsys.readouterr().err


@pytest.mark.usefixtures("cli_env")
def test_rebuild_command_records_when_it_swapped_the_view_in(
    capsys: pytest.CaptureFixture[str], runtime: Runtime
) -> None:
    report = run(capsys, "replay", "rebuild", "court-bookings")
    with runtime.court_bookings.datastore.transaction(commit=False) as curs:
        rebuild = last_rebuilds(curs, runtime.settings.db_schema)["court_bookings"]
    assert (rebuild.position, rebuild.events) == (report["position"], report["events"])
    assert rebuild.finished_at <= datetime.now(UTC)
