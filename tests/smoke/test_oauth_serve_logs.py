"""`ledger serve` with OAuth in use: its log shows no client secret, token or signing key."""

from __future__ import annotations

import base64
from pathlib import Path

import httpx

from tests.api.oauth_support import make_module_client, post_token
from tests.reliability.processes import ledger_served
from tests.support import expect

FORM = {"Content-Type": "application/x-www-form-urlencoded"}


def test_the_server_log_shows_no_secret_token_or_signing_key(database_url: str, tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    with (
        ledger_served(database_url, "oauthlog", data_dir) as served,
        httpx.Client(base_url=served.server.url, timeout=30) as http,
    ):
        admin = {"Authorization": f"Bearer {served.admin_token}"}
        client = make_module_client(http, admin, confidential=True)
        assert client.secret is not None
        access = client.access_token()
        refresh = client.refresh_tokens[-1]
        basic = base64.b64encode(f"{client.client_id}:{client.secret}".encode()).decode()
        refused = [
            post_token(
                http,
                {"grant_type": "client_credentials", "client_id": client.client_id, "client_secret": "x"},
            ),
            http.post(
                "/oauth/token?client_secret=" + client.secret, data={"grant_type": "client_credentials"}
            ),
            http.post(
                "/oauth/token",
                content=f"grant_type=refresh_token&refresh_token={refresh}&organization_id=bad",
                headers={**FORM, "Authorization": f"Basic {basic}"},
            ),
        ]
        served.server.stop()

    log = served.server.log_path.read_text()
    signing_key = (data_dir / "oauth-signing-keys").read_text().strip().partition(":")[2]
    assert [response.status_code for response in refused] == [401, 400, 400]
    assert "POST /oauth/token" in log
    for shown in (client.secret, access, refresh, signing_key):
        assert shown not in log
    assert expect(refused[0], 401)["error"] == "invalid_client"
