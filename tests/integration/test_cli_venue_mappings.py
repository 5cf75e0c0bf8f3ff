"""`ledger admin approve-venue-mapping` and `reject-venue-mapping` against real PostgreSQL."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest

from domain.context import Principal, RequestContext
from ledger.cli import main
from ledger.runtime import Runtime


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> Any:
    assert main(list(argv)) == 0
    return json.loads(capsys.readouterr().out)


def pending_mapping(capsys: pytest.CaptureFixture[str], runtime: Runtime) -> tuple[str, str]:
    """Given: a client's venue mapping, pending; its id and the client's id."""
    organization = run(
        capsys, "admin", "create-organization", "--name", "Club", "--timezone", "Europe/Berlin"
    )
    venue = run(capsys, "admin", "create-venue", "--organization-id", organization["id"], "--name", "Centre")
    client = run(
        capsys,
        "admin",
        "create-client",
        "--name",
        "Partner app",
        "--scope",
        "client-api",
        "--organization-id",
        organization["id"],
    )
    principal = Principal(
        id=client["id"],
        kind="client",
        scopes=frozenset({"client-api"}),
        organization_ids=frozenset({uuid.UUID(organization["id"])}),
    )
    ctx = RequestContext(principal, runtime.clock(), "cli-test")
    mapped = runtime.ledger.register_client_venue(ctx, "venue-456", venue["id"]).value
    return str(mapped.mapping.id), client["id"]


@pytest.mark.usefixtures("cli_env")
def test_an_operator_approves_and_rejects_a_venue_mapping_from_the_command_line(
    capsys: pytest.CaptureFixture[str], runtime: Runtime
) -> None:
    mapping_id, client_id = pending_mapping(capsys, runtime)

    approved = run(capsys, "admin", "approve-venue-mapping", "--mapping-id", mapping_id)
    rejected = run(capsys, "admin", "reject-venue-mapping", "--mapping-id", mapping_id)

    assert (approved["id"], approved["clientId"], approved["externalId"]) == (
        mapping_id,
        client_id,
        "venue-456",
    )
    assert approved["approvalStatus"] == "approved"
    assert rejected["approvalStatus"] == "rejected"
    assert runtime.ledger.venue_mapping(mapping_id).approval_status == "rejected"


@pytest.mark.usefixtures("cli_env")
def test_an_unknown_venue_mapping_fails_with_its_error(capsys: pytest.CaptureFixture[str]) -> None:
    missing = str(uuid.uuid4())

    assert main(["admin", "approve-venue-mapping", "--mapping-id", missing]) == 1
    error = json.loads(capsys.readouterr().err)["error"]

    assert error == {
        "type": "VenueMappingNotFoundError",
        "message": f"Venue mapping {missing} was not found.",
    }
