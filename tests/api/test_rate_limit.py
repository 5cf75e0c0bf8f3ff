"""Rate limits: per client, and per address for failed authentications and admin calls; 429 + Retry-After."""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable, Iterator
from contextlib import ExitStack

import httpx
import pytest

from api.app import create_app
from ledger.runtime import Runtime
from tests.support import ServerThread, Tenant, expect, make_tenant

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


FAILURES = 3
ADMIN_CALLS = 4
BAD_KEY = {"Authorization": "Bearer lk_not-a-real-key"}


@pytest.fixture(scope="module")
def guarded_url(runtime: Runtime) -> Iterator[str]:
    """A server that allows each address 3 failed authentications and 4 admin calls, refilled very slowly."""
    update = {
        "failed_auth_burst": FAILURES,
        "failed_auth_per_second": 0.001,
        "admin_rate_limit_burst": ADMIN_CALLS,
        "admin_rate_limit_per_second": 0.001,
    }
    settings = runtime.settings.model_copy(update=update)
    with ServerThread(create_app(settings=settings, runtime=runtime)) as server:
        yield server.url


@pytest.fixture
def connect(guarded_url: str) -> Iterator[Callable[[], httpx.Client]]:
    """Clients of the guarded server, each connecting from a loopback address of its own."""
    with ExitStack() as stack:

        def from_a_new_address() -> httpx.Client:
            address = f"127.{random.randint(1, 254)}.{random.randint(1, 254)}.{random.randint(2, 254)}"
            transport = httpx.HTTPTransport(local_address=address)
            return stack.enter_context(httpx.Client(base_url=guarded_url, timeout=30, transport=transport))

        yield from_a_new_address


def test_an_address_whose_keys_keep_failing_gets_429_before_any_key_is_looked_up(
    connect: Callable[[], httpx.Client], tenant: Tenant
) -> None:
    flooder, neighbour = connect(), connect()

    failed = [flooder.get(tenant.list_path, headers=BAD_KEY) for _ in range(FAILURES)]
    limited = flooder.get(tenant.list_path, headers=BAD_KEY)
    # Refused before the look-up, so even a valid key waits until the allowance refills.
    valid_from_flooder = flooder.get(tenant.list_path, headers=tenant.headers)

    assert [r.status_code for r in failed] == [401] * FAILURES
    assert expect(limited, 429)["error"]["type"] == "rate_limited"
    assert int(limited.headers["Retry-After"]) >= 1
    assert expect(valid_from_flooder, 429)["error"]["type"] == "rate_limited"
    assert neighbour.get(tenant.list_path, headers=tenant.headers).status_code == 200
    assert neighbour.get(tenant.list_path, headers=BAD_KEY).status_code == 401


def test_requests_without_credentials_and_with_valid_keys_spend_no_failure_allowance(
    connect: Callable[[], httpx.Client], tenant: Tenant
) -> None:
    client = connect()

    anonymous = [client.get(tenant.list_path).status_code for _ in range(FAILURES + 2)]
    valid = [client.get(tenant.list_path, headers=tenant.headers).status_code for _ in range(FAILURES + 2)]

    assert anonymous == [401] * (FAILURES + 2)
    assert valid == [200] * (FAILURES + 2)
    assert client.get(tenant.list_path, headers=BAD_KEY).status_code == 401


def test_failed_authentication_on_the_orders_surface_is_limited_in_its_own_format(
    connect: Callable[[], httpx.Client],
) -> None:
    client = connect()
    path = f"/api/v1/orders/{uuid.uuid4()}"

    statuses = [client.get(path, headers=BAD_KEY).status_code for _ in range(FAILURES)]
    limited = client.get(path, headers=BAD_KEY)

    assert statuses == [401] * FAILURES
    assert expect(limited, 429)["errors"][0]["code"] == "rate_limited"
    assert int(limited.headers["Retry-After"]) >= 1


def test_wrong_admin_tokens_and_client_keys_at_admin_paths_spend_the_addresss_failures(
    connect: Callable[[], httpx.Client], tenant: Tenant
) -> None:
    client = connect()
    path = f"/api/v1/admin/clients/{tenant.client_id}"
    wrong = [{"Authorization": "Bearer not-the-admin-token"}, {"x-api-key": "wrong"}, tenant.headers]

    statuses = [client.get(path, headers=headers).status_code for headers in wrong]
    limited = client.get(path, headers=tenant.admin_headers)

    assert statuses == [401] * FAILURES
    assert expect(limited, 429)["error"]["type"] == "rate_limited"
    assert connect().get(path, headers=tenant.admin_headers).status_code == 200


def test_admin_calls_beyond_the_admin_allowance_answer_429_with_retry_after(
    connect: Callable[[], httpx.Client], tenant: Tenant
) -> None:
    client = connect()
    path = f"/api/v1/admin/clients/{tenant.client_id}"

    statuses = [client.get(path, headers=tenant.admin_headers).status_code for _ in range(ADMIN_CALLS)]
    limited = client.get(path, headers=tenant.admin_headers)

    assert statuses == [200] * ADMIN_CALLS
    assert expect(limited, 429)["error"]["type"] == "rate_limited"
    assert int(limited.headers["Retry-After"]) >= 1
    assert connect().get(path, headers=tenant.admin_headers).status_code == 200
