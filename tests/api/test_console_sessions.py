"""Console sign-in: cookie sessions, CSRF tokens, scopes, revocation and the page's security headers."""

from __future__ import annotations

import httpx

from tests.api.console_support import SIGN_IN, Visitor, expect_page, key_of, signed_in
from tests.api.query_support import analyst_key
from tests.support import expect, make_tenant


def test_a_page_without_a_session_sends_the_browser_to_sign_in(http: httpx.Client) -> None:
    for path in ("/console/calendar", "/console/health", "/console/utilisation", "/console"):
        response = Visitor(http).get(path)
        assert response.status_code == 303, path
        assert response.headers["location"] == SIGN_IN


def test_the_session_cookie_is_http_only_same_site_strict_and_secure(
    http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    key = analyst_key(http, admin_headers, [])
    visitor = signed_in(http, key_of(key))
    [session] = [cookie for cookie in visitor.last_set_cookies if cookie.startswith("ledger_console=")]
    attributes = {part.strip().lower() for part in session.split(";")}
    assert {"httponly", "secure", "samesite=strict", "path=/console"} <= attributes
    assert key_of(key) not in session


def test_sign_in_without_the_forms_token_is_refused(
    http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    visitor = Visitor(http)
    response = visitor.post(SIGN_IN, {"key": key_of(analyst_key(http, admin_headers, []))})
    assert "did not come from the console" in expect_page(response, 403)
    assert "ledger_console" not in visitor.cookies


def test_a_wrong_key_or_one_without_a_console_scope_cannot_sign_in(
    http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    wrong = Visitor(http)
    assert "not valid" in expect_page(wrong.sign_in("not-a-key"), 401)
    assert "ledger_console" not in wrong.cookies
    writer = make_tenant(http, admin_headers, scopes=["court-bookings:read", "court-bookings:write"])
    refused = Visitor(http)
    assert "analytics:read or audit:read" in expect_page(refused.sign_in(writer.key), 403)
    assert "ledger_console" not in refused.cookies


def test_the_admin_token_signs_in(http: httpx.Client, admin_headers: dict[str, str]) -> None:
    visitor = signed_in(http, key_of(admin_headers))
    expect_page(visitor.get("/console/health"), 200)


def test_signing_out_ends_the_session_and_needs_the_pages_token(
    http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    visitor = signed_in(http, key_of(analyst_key(http, admin_headers, [])))
    token = visitor.form_token("/console/health")
    kept = dict(visitor.cookies)
    assert "did not come from the console" in expect_page(visitor.post("/console/sign-out", {}), 403)
    out = visitor.post("/console/sign-out", {"csrf": token})
    assert out.status_code == 303
    stale = Visitor(http, cookies=kept)
    assert stale.get("/console/health").status_code == 303


def test_revoking_the_key_ends_its_console_sessions(
    http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    client = expect(
        http.post(
            "/api/v1/admin/clients",
            json={"name": "Dashboard", "scopes": ["analytics:read"], "organizationIds": []},
            headers=admin_headers,
        ),
        201,
    )
    key = expect(
        http.post(f"/api/v1/admin/clients/{client['id']}/api-keys", json={}, headers=admin_headers), 201
    )
    visitor = signed_in(http, str(key["key"]))
    expect_page(visitor.get("/console/health"), 200)
    revoked = http.delete(f"/api/v1/admin/clients/{client['id']}/api-keys/{key['id']}", headers=admin_headers)
    assert revoked.status_code in (200, 204)
    assert visitor.get("/console/health").status_code == 303


def test_pages_allow_only_the_consoles_own_assets(http: httpx.Client, admin_headers: dict[str, str]) -> None:
    visitor = signed_in(http, key_of(admin_headers))
    page = visitor.get("/console/health")
    policy = page.headers["content-security-policy"]
    assert "default-src 'none'" in policy
    assert "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy
    assert page.headers["x-frame-options"] == "DENY"
    for asset in ("console.css", "console.js", "grid.css"):
        assert Visitor(http).get(f"/console/static/{asset}").status_code == 200
    assert "No such asset" in expect_page(Visitor(http).get("/console/static/secrets.txt"), 404)
