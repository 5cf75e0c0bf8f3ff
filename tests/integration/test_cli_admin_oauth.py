"""`ledger admin` for OAuth clients: issuing a client's secret and revoking a client."""

from __future__ import annotations

import json
from typing import Any

import pytest

from ledger.cli import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> Any:
    assert main(list(argv)) == 0
    return json.loads(capsys.readouterr().out)


@pytest.mark.usefixtures("cli_env")
def test_the_cli_gives_a_client_an_oauth_secret_shown_once_and_revokes_the_client(
    capsys: pytest.CaptureFixture[str],
) -> None:
    organization = run(capsys, "admin", "create-organization", "--name", "Club", "--timezone", "UTC")
    client = run(
        capsys,
        "admin",
        "create-client",
        "--name",
        "Widget",
        "--scope",
        "module-api",
        "--organization-id",
        organization["id"],
    )

    issued = run(capsys, "admin", "create-oauth-secret", "--client-id", client["id"])
    revoked = run(capsys, "admin", "revoke-client", "--client-id", client["id"])
    listed = run(capsys, "admin", "get-client", "--client-id", client["id"])

    assert set(issued) == {"clientSecret"}
    assert revoked["revokedAt"] is not None
    assert listed["oauthSecretIssuedAt"] is not None
    assert issued["clientSecret"] not in json.dumps(listed)


@pytest.mark.usefixtures("cli_env")
def test_a_secret_for_a_revoked_client_fails_with_a_clear_error(capsys: pytest.CaptureFixture[str]) -> None:
    organization = run(capsys, "admin", "create-organization", "--name", "Club", "--timezone", "UTC")
    client = run(capsys, "admin", "create-client", "--name", "W", "--organization-id", organization["id"])
    run(capsys, "admin", "revoke-client", "--client-id", client["id"])

    code = main(["admin", "create-oauth-secret", "--client-id", client["id"]])

    assert code == 1
    assert json.loads(capsys.readouterr().err)["error"]["type"] == "ClientRevokedError"
