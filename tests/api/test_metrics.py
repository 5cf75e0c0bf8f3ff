"""`GET /metrics`: who may read it, and what it reports (requests, retries, views' lag, runners, the pool)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack
from ipaddress import ip_network
from typing import Any

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from api.app import create_app
from ledger.runtime import Runtime, open_runtime
from ledger.settings import Settings
from projections.registry import VIEWS
from tests.append_lock import colliding_revisions
from tests.support import ServerThread, Tenant, booking_body, expect, random_day, wait_until

Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]
UPSERT_ROUTE = (
    "/api/v1/external-services/{externalServiceId}/court-bookings/by-external-id/{externalCourtBookingId}"
)
VIEW_NAMES = {view.name for view in VIEWS}


def scrape(http: httpx.Client, headers: dict[str, str]) -> Samples:
    response = http.get("/metrics", headers=headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain")
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(response.text)
        for sample in family.samples
    }


def value(samples: Samples, name: str, **labels: str) -> float:
    return samples[(name, frozenset(labels.items()))]


def per_view(samples: Samples, name: str) -> dict[str, float]:
    return {dict(labels)["view"]: value for (found, labels), value in samples.items() if found == name}


@pytest.fixture
def served_with(runtime: Runtime, settings: Settings) -> Iterator[Callable[..., httpx.Client]]:
    """Serves an app over the session's runtime with some settings changed; answers a client of it."""
    with ExitStack() as stack:

        def serve(**changes: Any) -> httpx.Client:
            app = create_app(settings=settings.model_copy(update=changes), runtime=runtime)
            server = stack.enter_context(ServerThread(app))
            return stack.enter_context(httpx.Client(base_url=server.url, timeout=30))

        yield serve


def test_metrics_refuse_a_caller_without_the_admin_token(http: httpx.Client) -> None:
    missing = http.get("/metrics")
    wrong = http.get("/metrics", headers={"Authorization": "Bearer not-the-admin-token"})

    assert expect(missing, 401)["error"]["type"] == "missing_api_token"
    assert expect(wrong, 401)["error"]["type"] == "invalid_api_token"


def test_a_client_api_key_does_not_open_the_metrics(tenant: Tenant) -> None:
    response = tenant.http.get("/metrics", headers=tenant.headers)

    assert expect(response, 401)["error"]["type"] == "invalid_api_token"


def test_metrics_answer_the_admin_token_in_prometheus_text(
    http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    samples = scrape(http, admin_headers)

    assert value(samples, "ledger_database_up") == 1


def test_a_caller_in_a_configured_address_range_reads_the_metrics_without_a_token(
    served_with: Callable[..., httpx.Client],
) -> None:
    inside = served_with(metrics_networks=(ip_network("10.0.0.0/8"), ip_network("127.0.0.0/8")))
    assert value(scrape(inside, {}), "ledger_database_up") == 1

    outside = served_with(metrics_networks=(ip_network("10.0.0.0/8"),))
    assert expect(outside.get("/metrics"), 401)["error"]["type"] == "missing_api_token"


def test_requests_are_counted_and_timed_per_route_template_and_status(
    tenant: Tenant, admin_headers: dict[str, str]
) -> None:
    external_id = "metrics-route"
    expect(tenant.put(external_id, booking_body(tenant.court_id, random_day())), 201)
    expect(tenant.http.get(tenant.booking_path("metrics-unknown"), headers=tenant.headers), 404)
    tenant.http.get("/no/such/path/4711")

    samples = scrape(tenant.http, admin_headers)

    created = {"method": "PUT", "route": UPSERT_ROUTE, "status": "201"}
    assert value(samples, "ledger_http_requests_total", **created) >= 1
    assert value(samples, "ledger_http_request_duration_seconds_count", **created) >= 1
    assert value(samples, "ledger_http_request_duration_seconds_bucket", le="+Inf", **created) >= 1
    missing = {"method": "GET", "route": UPSERT_ROUTE, "status": "404"}
    assert value(samples, "ledger_http_requests_total", **missing) >= 1
    assert value(samples, "ledger_http_requests_total", method="GET", route="unmatched", status="404") >= 1
    routes = {dict(labels).get("route", "") for _, labels in samples}
    assert not any(external_id in route or "4711" in route for route in routes)


def test_each_view_reports_its_lag_and_that_this_process_runs_its_runner(
    http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    samples = scrape(http, admin_headers)

    lags = per_view(samples, "ledger_projection_lag_events")
    assert set(lags) == VIEW_NAMES
    assert all(lag >= 0 for lag in lags.values())
    assert per_view(samples, "ledger_projection_runner_active") == dict.fromkeys(VIEW_NAMES, 1)


def test_the_roles_this_process_is_elected_to_are_reported_one_by_one(
    http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    def elected() -> dict[str, float]:
        samples = scrape(http, admin_headers)
        return {
            dict(labels)["role"]: found
            for (name, labels), found in samples.items()
            if name == "ledger_elected"
        }

    # The session's runtime is the only one on its schema: it wins every election at its first try.
    wait_until(lambda: set(elected().values()) == {1}, 30, "every role elected")

    assert set(elected()) == {
        *(f"projection:{name}" for name in VIEW_NAMES),
        "change-retention",
        "checkpointer",
        "webhook-delivery",
    }


def test_a_process_without_runners_reports_none_active_and_still_each_views_lag(
    settings: Settings, admin_headers: dict[str, str]
) -> None:
    with (
        open_runtime(settings, run_projections=False, announce=lambda _: None) as runtime,
        ServerThread(create_app(runtime=runtime)) as server,
        httpx.Client(base_url=server.url, timeout=30) as http,
    ):
        samples = scrape(http, admin_headers)

    assert per_view(samples, "ledger_projection_runner_active") == dict.fromkeys(VIEW_NAMES, 0)
    assert set(per_view(samples, "ledger_projection_lag_events")) == VIEW_NAMES


def test_the_connection_pool_reports_its_size_and_use(
    http: httpx.Client, admin_headers: dict[str, str], settings: Settings
) -> None:
    samples = scrape(http, admin_headers)

    assert value(samples, "ledger_db_pool_min") == settings.pool_size
    assert value(samples, "ledger_db_pool_max") == settings.pool_size + settings.pool_max_overflow
    assert 0 <= value(samples, "ledger_db_pool_available") <= value(samples, "ledger_db_pool_size")
    assert value(samples, "ledger_db_pool_requests_total") > 0


def counted(before: Samples, after: Samples, name: str) -> float:
    return value(after, name) - value(before, name)


def test_a_write_run_again_after_losing_a_version_race_is_counted_as_a_retry(
    runtime: Runtime, tenant: Tenant, admin_headers: dict[str, str]
) -> None:
    before = scrape(tenant.http, admin_headers)

    _, responses = colliding_revisions(runtime, tenant, "metrics-retry")

    after = scrape(tenant.http, admin_headers)
    assert 200 in {response.status_code for response in responses}
    assert counted(before, after, "ledger_command_retries_total") == 1
    assert counted(before, after, "ledger_command_retries_exhausted_total") == 0


def test_a_write_that_loses_its_last_attempt_is_counted_as_exhausted(
    runtime: Runtime, tenant: Tenant, admin_headers: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(runtime.ledger, "command_attempts", 1)
    before = scrape(tenant.http, admin_headers)

    _, responses = colliding_revisions(runtime, tenant, "metrics-exhausted")

    after = scrape(tenant.http, admin_headers)
    assert sorted(response.status_code for response in responses) == [200, 503]
    assert counted(before, after, "ledger_command_retries_total") == 0
    assert counted(before, after, "ledger_command_retries_exhausted_total") == 1
