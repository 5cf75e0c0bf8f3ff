"""Per-client rate limiting: 429 with Retry-After once a client's allowance is spent; others unaffected."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from api.app import create_app
from ledger.runtime import Runtime
from tests.support import ServerThread, make_tenant

BURST = 5


@pytest.fixture(scope="module")
def limited_http(runtime: Runtime) -> Iterator[httpx.Client]:
    """A second server on the same runtime, whose clients may send 5 requests at once and 0.5 per second."""
    settings = runtime.settings.model_copy(update={"rate_limit_per_second": 0.5, "rate_limit_burst": BURST})
    with (
        ServerThread(create_app(settings=settings, runtime=runtime)) as server,
        httpx.Client(base_url=server.url, timeout=30) as client,
    ):
        yield client


def test_client_over_its_burst_gets_429_with_retry_after(
    limited_http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    tenant = make_tenant(limited_http, admin_headers)

    statuses = [limited_http.get(tenant.list_path, headers=tenant.headers) for _ in range(BURST + 1)]

    assert [r.status_code for r in statuses[:BURST]] == [200] * BURST
    limited = statuses[BURST]
    assert limited.status_code == 429
    assert limited.json()["error"]["type"] == "rate_limited"
    assert int(limited.headers["Retry-After"]) >= 1


def test_one_client_being_limited_leaves_another_client_served(
    limited_http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    noisy = make_tenant(limited_http, admin_headers)
    quiet = make_tenant(limited_http, admin_headers)
    for _ in range(BURST + 2):
        limited_http.get(noisy.list_path, headers=noisy.headers)

    assert limited_http.get(noisy.list_path, headers=noisy.headers).status_code == 429
    assert limited_http.get(quiet.list_path, headers=quiet.headers).status_code == 200


def test_rate_limited_order_surface_answers_in_its_own_error_format(
    limited_http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    tenant = make_tenant(limited_http, admin_headers, scopes=["bookings:read"])
    headers = {**tenant.headers, "x-current-user-id": tenant.user_id}
    path = f"/api/v1/bookings/by-user/{tenant.user_id}"

    responses = [limited_http.get(path, headers=headers) for _ in range(BURST + 1)]

    assert responses[-1].status_code == 429
    assert responses[-1].json()["errors"][0]["code"] == "rate_limited"
