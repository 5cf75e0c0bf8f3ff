"""Helpers of the OAuth tests: module clients made by the admin API, and token requests."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

import httpx

from tests.support import expect

TOKEN_PATH = "/oauth/token"
MODULE_SCOPES = ["module-api"]


@dataclass
class ModuleClient:
    """A client of the module API: granted organizations, and an OAuth secret when it is confidential."""

    http: httpx.Client
    admin_headers: dict[str, str]
    client_id: str
    organization_ids: list[str]
    secret: str | None = None
    refresh_tokens: list[str] = field(default_factory=list)

    @property
    def organization_id(self) -> str:
        return self.organization_ids[0]

    def issue_secret(self) -> str:
        path = f"/api/v1/admin/clients/{self.client_id}/oauth-secret"
        self.secret = str(
            expect(self.http.post(path, json={}, headers=self.admin_headers), 201)["clientSecret"]
        )
        return self.secret

    def revoke(self) -> dict[str, Any]:
        path = f"/api/v1/admin/clients/{self.client_id}/revoke"
        return dict(expect(self.http.post(path, headers=self.admin_headers), 200))

    def credentials(self) -> dict[str, str]:
        found = {"client_id": self.client_id}
        if self.secret is not None:
            found["client_secret"] = self.secret
        return found

    def refresh_token(self) -> str:
        answer = expect(
            post_token(self.http, {"grant_type": "client_credentials", **self.credentials()}), 200
        )
        self.refresh_tokens.append(answer["refresh_token"])
        return str(answer["refresh_token"])

    def access_token(self, organization_id: str | None = None, refresh_token: str | None = None) -> str:
        body = {
            "grant_type": "refresh_token",
            "refresh_token": refresh_token or self.refresh_token(),
            "organization_id": organization_id or self.organization_id,
            **self.credentials(),
        }
        return str(expect(post_token(self.http, body), 200)["access_token"])


def make_organization(http: httpx.Client, admin_headers: dict[str, str]) -> str:
    body = {"name": "Module org", "timezone": "Europe/Berlin"}
    return str(expect(http.post("/api/v1/admin/organizations", json=body, headers=admin_headers), 201)["id"])


def make_module_client(
    http: httpx.Client,
    admin_headers: dict[str, str],
    *,
    scopes: list[str] | None = None,
    organizations: int = 1,
    confidential: bool = False,
) -> ModuleClient:
    organization_ids = [make_organization(http, admin_headers) for _ in range(organizations)]
    body = {
        "name": f"Module {uuid.uuid4().hex[:6]}",
        "scopes": MODULE_SCOPES if scopes is None else scopes,
        "organizationIds": organization_ids,
    }
    created = expect(http.post("/api/v1/admin/clients", json=body, headers=admin_headers), 201)
    client = ModuleClient(http, admin_headers, created["id"], organization_ids)
    if confidential:
        client.issue_secret()
    return client


def post_token(
    http: httpx.Client, parameters: dict[str, str], *, as_json: bool = False, **kwargs: Any
) -> httpx.Response:
    """A token request with the parameters as a form (the default) or as a JSON object."""
    if as_json:
        return http.post(TOKEN_PATH, json=parameters, **kwargs)
    return http.post(TOKEN_PATH, data=parameters, **kwargs)


def oauth_error(response: httpx.Response, status: int) -> str:
    """The RFC 6749 error code of a refusal, after checking its status and shape."""
    body = expect(response, status)
    assert set(body) == {"error", "error_description"}, body
    assert body["error_description"], body
    return str(body["error"])
