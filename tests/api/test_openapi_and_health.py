"""Health, the OpenAPI document and docs, request ids and trace context, and the format of routing errors."""

from __future__ import annotations

import re
import secrets
import uuid
from collections.abc import Iterable, Iterator
from typing import Any

import httpx
import pytest
from fastapi.routing import APIRoute
from starlette.routing import BaseRoute

from api.app import create_app
from ledger.settings import Settings

ERROR_BODY_REF = "#/components/schemas/ErrorBody"
ERRORS_BODY_REF = "#/components/schemas/ErrorsBody"
CLIENT_API_BODY_REF = "#/components/schemas/ClientApiErrorBody"
OAUTH_ERROR_REF = "#/components/schemas/OAuthErrorBody"
MODULE_API_ERROR_REF = "#/components/schemas/ModuleApiErrorBody"
BOOKINGS_SURFACE_PREFIXES = ("/api/v1/orders", "/api/v1/bookings/", "/api/v1/notifications", "/api/v1/users/")
CLIENT_API_PREFIX = "/matchengine/"
QUERY_ERROR_REF = "#/components/schemas/QueryError"
READINESS_REF = "#/components/schemas/Readiness"
QUERY_SURFACE_PATHS = (
    "/api/v1/bookings",
    "/api/v1/schemas/{organisationId}",
    "/api/v1/analytics/utilisation",
    "/api/v1/analytics/bookings",
)
SERVICE = "/api/v1/external-services/{externalServiceId}/court-bookings"
BY_EXTERNAL_ID = SERVICE + "/by-external-id/{externalCourtBookingId}"
HISTORY = "/api/v1/audit/court-bookings/{externalServiceId}/{externalCourtBookingId}/history"
ADMIN = "/api/v1/admin"

# The error statuses each operation can answer (beyond 503), as the other API tests observe them.
EXPECTED_ERRORS: dict[tuple[str, str], set[int]] = {
    ("put", BY_EXTERNAL_ID): {400, 401, 403, 404, 409, 413},
    ("get", BY_EXTERNAL_ID): {400, 401, 403, 404},
    ("delete", BY_EXTERNAL_ID): {400, 401, 403, 404, 409},
    ("get", SERVICE): {400, 401, 403},
    ("get", HISTORY): {400, 401, 403, 404},
    ("post", f"{ADMIN}/organizations"): {400, 401, 413},
    ("post", f"{ADMIN}/organizations/{{organizationId}}/venues"): {400, 401, 404, 413},
    ("post", f"{ADMIN}/venues/{{venueId}}/courts"): {400, 401, 404, 413},
    ("post", f"{ADMIN}/clients"): {400, 401, 404, 413},
    ("get", f"{ADMIN}/clients/{{clientId}}"): {400, 401, 404},
    ("post", f"{ADMIN}/clients/{{clientId}}/api-keys"): {400, 401, 404, 413},
    ("delete", f"{ADMIN}/clients/{{clientId}}/api-keys/{{keyId}}"): {400, 401, 404},
    ("post", f"{ADMIN}/users"): {400, 401, 413},
    ("post", f"{ADMIN}/clients/{{clientId}}/users"): {400, 401, 404, 413},
    ("post", f"{ADMIN}/clients/{{clientId}}/notification-rules"): {400, 401, 404, 409, 413},
    ("delete", f"{ADMIN}/clients/{{clientId}}/notification-rules/{{ruleId}}"): {400, 401, 404},
    ("post", "/api/v1/notifications/send"): {400, 401, 403},
    ("get", "/health"): set(),
    ("get", "/ready"): set(),
    ("get", "/metrics"): {400, 401},
}


@pytest.fixture(scope="module")
def openapi(http: httpx.Client) -> dict[str, Any]:
    document: dict[str, Any] = http.get("/openapi.json").json()
    return document


def operations(openapi: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method, path, operation)
        for path, item in openapi["paths"].items()
        for method, operation in item.items()
        if method in {"get", "put", "post", "delete", "patch"}
    ]


def test_health_answers_ok_without_authentication(http: httpx.Client) -> None:
    response = http.get("/health")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert response.headers["content-type"].startswith("application/json")


def test_health_ignores_a_bogus_token(http: httpx.Client) -> None:
    response = http.get("/health", headers={"Authorization": "Bearer nonsense"})

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_openapi_document_is_served_as_json(http: httpx.Client) -> None:
    response = http.get("/openapi.json")

    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.")
    assert document["info"]["title"]


def api_routes(routes: Iterable[BaseRoute]) -> Iterator[APIRoute]:
    """The app's API routes, also those inside included routers (which FastAPI may keep as one branch)."""
    for route in routes:
        if isinstance(route, APIRoute):
            yield route
            continue
        # An included router (kept whole by newer FastAPI; the app includes them without an extra prefix).
        included = getattr(route, "original_router", None)
        yield from api_routes(getattr(included, "routes", None) or getattr(route, "routes", None) or [])


def test_openapi_lists_every_route_of_the_app(openapi: dict[str, Any], settings: Settings) -> None:
    app = create_app(settings=settings)
    routes = {
        (method.lower(), route.path)
        for route in api_routes(app.routes)
        if route.include_in_schema
        for method in route.methods or ()
    }
    documented = {(method, path) for method, path, _ in operations(openapi)}

    assert len(routes) >= len(EXPECTED_ERRORS)
    assert routes == documented


def test_every_documented_operation_is_served(http: httpx.Client, openapi: dict[str, Any]) -> None:
    for method, path, _ in operations(openapi):
        concrete = re.sub(r"\{[^}]+\}", str(uuid.uuid4()), path)

        response = http.request(method.upper(), concrete)

        assert response.status_code not in (404, 405), f"{method} {path}: {response.status_code}"
        assert response.status_code < 500, f"{method} {path}: {response.status_code}"


def test_openapi_lists_the_known_endpoints(openapi: dict[str, Any]) -> None:
    documented = {(method, path) for method, path, _ in operations(openapi)}

    assert set(EXPECTED_ERRORS) <= documented


def test_every_operation_declares_its_error_responses_with_the_error_schema(openapi: dict[str, Any]) -> None:
    for method, path, operation in operations(openapi):
        errors = {
            int(status): response for status, response in operation["responses"].items() if int(status) >= 400
        }
        assert errors, f"{method} {path} declares no error response"
        for status, response in errors.items():
            schema = response["content"]["application/json"]["schema"]
            expected = ERRORS_BODY_REF if path.startswith(BOOKINGS_SURFACE_PREFIXES) else ERROR_BODY_REF
            expected = CLIENT_API_BODY_REF if path.startswith(CLIENT_API_PREFIX) else expected
            if path in QUERY_SURFACE_PATHS:
                expected = QUERY_ERROR_REF
            expected = OAUTH_ERROR_REF if path.startswith("/oauth/") else expected
            expected = MODULE_API_ERROR_REF if path.startswith("/module/") else expected
            # Readiness answers its checks, failed ones named, with its 503: load balancers read it.
            expected = READINESS_REF if (path, status) == ("/ready", 503) else expected
            assert schema == {"$ref": expected}, f"{method} {path} {status}: {schema}"
            assert response["description"], f"{method} {path} {status} has no description"


@pytest.mark.parametrize(("method", "path"), list(EXPECTED_ERRORS), ids=lambda value: str(value))
def test_each_known_operation_declares_the_errors_it_answers(
    openapi: dict[str, Any], method: str, path: str
) -> None:
    declared = {int(status) for status in openapi["paths"][path][method]["responses"] if int(status) >= 400}

    assert EXPECTED_ERRORS[(method, path)] | {503} <= declared


def test_no_operation_declares_fastapis_422_validation_error(openapi: dict[str, Any]) -> None:
    for method, path, operation in operations(openapi):
        response = operation["responses"].get("422", {})
        schema = response.get("content", {}).get("application/json", {}).get("schema")
        idempotency_errors = CLIENT_API_BODY_REF if path.startswith(CLIENT_API_PREFIX) else ERRORS_BODY_REF
        assert schema in (None, {"$ref": idempotency_errors}), f"{method} {path} declares 422 as {schema}"
    schemas = openapi["components"]["schemas"]
    assert "HTTPValidationError" not in schemas
    assert "ValidationError" not in schemas


def test_error_body_schema_describes_the_error_envelope(openapi: dict[str, Any]) -> None:
    schemas = openapi["components"]["schemas"]
    error_body = schemas["ErrorBody"]
    detail_ref = error_body["properties"]["error"]["$ref"]
    detail = schemas[detail_ref.rsplit("/", 1)[-1]]

    assert error_body["required"] == ["error"]
    assert {"type", "message"} <= set(detail["required"])
    assert "issues" in detail["properties"]


def test_docs_answer_html(http: httpx.Client) -> None:
    response = http.get("/docs")

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "/openapi.json" in response.text


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/health", 200),
        ("GET", "/openapi.json", 200),
        ("GET", "/docs", 200),
        ("GET", "/no/such/route", 404),
        ("GET", "/api/v1/no-such-surface", 404),
        ("POST", "/health", 405),
        ("GET", f"/api/v1/external-services/{uuid.UUID(int=1)}/court-bookings", 401),
        ("POST", f"{ADMIN}/organizations", 401),
        ("GET", "/api/v1/external-services/not-a-uuid/court-bookings?limit=0", 401),
    ],
)
def test_every_response_echoes_the_callers_request_id(
    http: httpx.Client, method: str, path: str, status: int
) -> None:
    request_id = f"probe-{uuid.uuid4().hex}"

    response = http.request(method, path, headers={"X-Request-ID": request_id})

    assert response.status_code == status
    assert response.headers["X-Request-ID"] == request_id


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/health", 200),
        ("GET", "/no/such/route", 404),
        ("POST", "/health", 405),
        ("GET", f"/api/v1/external-services/{uuid.UUID(int=1)}/court-bookings", 401),
    ],
)
def test_every_response_carries_a_request_id_when_the_caller_sends_none(
    http: httpx.Client, method: str, path: str, status: int
) -> None:
    first = http.request(method, path)
    second = http.request(method, path)

    assert first.status_code == second.status_code == status
    assert first.headers["X-Request-ID"]
    assert first.headers["X-Request-ID"] != second.headers["X-Request-ID"]


def test_validation_errors_carry_the_request_id(http: httpx.Client, admin_headers: dict[str, str]) -> None:
    response = http.post(
        f"{ADMIN}/organizations", json={"name": ""}, headers={**admin_headers, "X-Request-ID": "validation-1"}
    )

    assert response.status_code == 400
    assert response.headers["X-Request-ID"] == "validation-1"


def test_an_oversized_body_is_refused_with_413_and_a_request_id(
    http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    body = b'{"name": "' + b"x" * (1024 * 1024 + 1) + b'", "timezone": "UTC"}'

    response = http.post(
        f"{ADMIN}/organizations",
        content=body,
        headers={**admin_headers, "Content-Type": "application/json", "X-Request-ID": "too-big-1"},
    )

    assert response.status_code == 413
    assert response.json()["error"]["type"] == "payload_too_large"
    assert response.headers["X-Request-ID"] == "too-big-1"


@pytest.mark.parametrize("offered", ["has spaces in it", "x" * 129, "semi;colon"])
def test_an_unusable_request_id_is_replaced_by_a_new_one(http: httpx.Client, offered: str) -> None:
    response = http.get("/health", headers={"X-Request-ID": offered})

    assert response.status_code == 200
    assert response.headers["X-Request-ID"]
    assert response.headers["X-Request-ID"] != offered


@pytest.mark.parametrize(
    "path", ["/no/such/route", "/api/v1/external-services", "/api/v1/admin/nothing-here"]
)
def test_unknown_routes_answer_404_in_the_error_format(http: httpx.Client, path: str) -> None:
    response = http.get(path)

    assert response.status_code == 404
    body = response.json()
    assert set(body) == {"error"}
    assert body["error"]["type"] == "not_found"
    assert isinstance(body["error"]["message"], str)
    assert body["error"]["message"]


def test_a_wrong_method_answers_405_in_the_error_format(http: httpx.Client) -> None:
    response = http.post("/health")

    assert response.status_code == 405
    assert response.json()["error"]["type"] == "method_not_allowed"


def test_a_valid_traceparent_is_continued_with_a_new_span(http: httpx.Client) -> None:
    trace_id, span_id = secrets.token_hex(16), secrets.token_hex(8)

    response = http.get("/health", headers={"traceparent": f"00-{trace_id}-{span_id}-01"})

    match = re.fullmatch(r"00-([0-9a-f]{32})-([0-9a-f]{16})-01", response.headers["traceparent"])
    assert match is not None
    assert match.group(1) == trace_id
    assert match.group(2) != span_id


@pytest.mark.parametrize(
    "traceparent",
    ["garbage", f"00-{'0' * 32}-{'1' * 16}-01", f"00-{'A' * 32}-{'1' * 16}-01", "00-abc-def-01"],
)
def test_an_invalid_traceparent_starts_a_new_trace(http: httpx.Client, traceparent: str) -> None:
    response = http.get("/health", headers={"traceparent": traceparent})

    match = re.fullmatch(r"00-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}", response.headers["traceparent"])
    assert match is not None
    assert match.group(1) not in traceparent
