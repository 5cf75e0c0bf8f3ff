"""Security: authentication everywhere, tenant isolation, revocation, no secrets stored or logged, timing."""

from __future__ import annotations

import ast
import hashlib
import inspect
import json
import logging
import textwrap
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import httpx
import psycopg
import pytest
from psycopg import sql

from api.admin import deps
from domain import client as client_module
from domain.client import ApiKey, hash_api_key
from domain.ids import api_key_id
from domain.registry_commands import RegistryCommands
from ledger import runtime as runtime_module
from ledger.runtime import Runtime
from tests.reliability.report import ScenarioResult
from tests.support import (
    ACTING_USER,
    ALL_CLIENT_SCOPES,
    ServerThread,
    Tenant,
    booking_body,
    expect,
    instant,
    make_tenant,
    random_day,
)

# Open without credentials: the probes (health, readiness), the API description, and the OAuth token endpoint.
PUBLIC_PATHS = {"/health", "/ready", "/docs", "/openapi.json", "/oauth/token"}
# Opened by the admin token alone: the admin API and the metrics.
ADMIN_TOKEN_PATHS = ("/api/v1/admin", "/metrics")
BOOKINGS_PREFIXES = ("/api/v1/orders", "/api/v1/bookings/", "/api/v1/notifications", "/api/v1/users/")
CLIENT_API_PREFIX = "/matchengine/"
# The query surface answers `{"error": "<message>"}`, as its seed does.
QUERY_PATHS = ("/api/v1/bookings", "/api/v1/schemas/", "/api/v1/analytics/")
# The module API answers the seed's `{"messageList": [{"type", "code", "message"}]}`.
MODULE_API_PREFIX = "/module/"
METHODS = {"get", "put", "post", "delete", "patch"}
SERVER_LOGGERS = ("", "ledger", "uvicorn", "uvicorn.error", "uvicorn.access", "eventsourcing", "psycopg")


@pytest.fixture(scope="module")
def tally() -> Iterator[ScenarioResult]:
    """The security scenario: each test adds its checks and the hits it found; recorded at the end."""
    result = ScenarioResult("security")
    yield result
    result.assert_clean()


@pytest.fixture(scope="module")
def openapi(http: httpx.Client) -> dict[str, Any]:
    document: dict[str, Any] = expect(http.get("/openapi.json"), 200)
    return document


def operations(openapi: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method, path, operation)
        for path, item in openapi["paths"].items()
        for method, operation in item.items()
        if method in METHODS
    ]


def filled_path(path: str, operation: dict[str, Any]) -> str:
    """The path with each parameter filled: a random UUID where a UUID is declared, else a random string."""
    for parameter in operation.get("parameters", []):
        if parameter["in"] == "path":
            is_uuid = parameter.get("schema", {}).get("format") == "uuid"
            value = str(uuid.uuid4()) if is_uuid else f"id-{uuid.uuid4().hex[:10]}"
            path = path.replace("{" + parameter["name"] + "}", value)
    return path


def call(
    http: httpx.Client, method: str, path: str, operation: dict[str, Any], headers: dict[str, str]
) -> httpx.Response:
    body: dict[str, Any] | None = {} if "requestBody" in operation else None
    return http.request(method.upper(), path, json=body, headers=headers)


def refusal_problem(path: str, response: httpx.Response) -> str | None:
    """Why a response is not a 401 in its surface's format, or None when it is one."""
    if response.status_code != 401:
        return f"status {response.status_code}: {response.text[:200]}"
    body = response.json()
    if path.startswith(BOOKINGS_PREFIXES):
        codes = [entry.get("code") for entry in body.get("errors", [])]
        ok = codes == ["unauthorized"]
    elif path.startswith(CLIENT_API_PREFIX):
        ok = set(body) == {"detail"}
    elif path == QUERY_PATHS[0] or path.startswith(QUERY_PATHS[1:]):
        ok = set(body) == {"error"} and isinstance(body["error"], str) and bool(body["error"])
    elif path.startswith(MODULE_API_PREFIX):
        codes = [entry.get("code") for entry in body.get("messageList", [])]
        ok = codes in (["missing_access_token"], ["invalid_access_token"])
    else:
        ok = body.get("error", {}).get("type") in {"missing_api_token", "invalid_api_token"}
    if not ok:
        return f"401 in the wrong format: {response.text[:200]}"
    if response.headers.get("www-authenticate", "").split(" ")[0] != "Bearer":
        return "401 without WWW-Authenticate: Bearer"
    return None


def test_every_endpoint_but_the_probes_and_docs_refuses_a_request_without_credentials(
    http: httpx.Client, openapi: dict[str, Any], tally: ScenarioResult
) -> None:
    problems = []
    checked = 0
    for method, path, operation in operations(openapi):
        if path in PUBLIC_PATHS:
            continue
        concrete = filled_path(path, operation)
        problem = refusal_problem(concrete, call(http, method, concrete, operation, {}))
        checked += 1
        if problem:
            problems.append(f"{method.upper()} {path}: {problem}")
    tally.runs += checked
    tally.invariant_violations += len(problems)

    assert checked >= 30, f"only {checked} protected operations in the OpenAPI document"
    assert not problems, "\n".join(problems)


def test_the_probes_and_the_api_description_answer_without_credentials(
    http: httpx.Client, tally: ScenarioResult
) -> None:
    paths = ("/health", "/ready", "/docs", "/openapi.json")
    statuses = {path: http.get(path).status_code for path in paths}
    tally.runs += len(statuses)

    assert statuses == dict.fromkeys(paths, 200)


def test_a_wrong_token_of_each_kind_is_refused_by_every_endpoint(
    http: httpx.Client,
    openapi: dict[str, Any],
    admin_headers: dict[str, str],
    tenant: Tenant,
    tally: ScenarioResult,
) -> None:
    """Unknown keys in each scheme; a client key is no admin token, and the admin token is no client key."""
    bogus = "lk_" + uuid.uuid4().hex
    problems = []
    checked = 0
    for method, path, operation in operations(openapi):
        if path in PUBLIC_PATHS:
            continue
        is_admin = path.startswith(ADMIN_TOKEN_PATHS)
        wrong = [
            {"Authorization": f"Bearer {bogus}"},
            {"Authorization": f"Token {bogus}"},
            {"x-api-key": bogus},
            tenant.headers if is_admin else admin_headers,
        ]
        for headers in wrong:
            concrete = filled_path(path, operation)
            problem = refusal_problem(concrete, call(http, method, concrete, operation, headers))
            checked += 1
            if problem:
                problems.append(f"{method.upper()} {path} with {next(iter(headers))}: {problem}")
    tally.runs += checked
    tally.invariant_violations += len(problems)

    assert not problems, "\n".join(problems)


@dataclass
class BookingTenant:
    """A client with every partner and booking scope, a coach and an athlete linked to it, and its data."""

    tenant: Tenant
    coach_id: str
    event_id: str = ""
    order_id: str = ""
    booking_id: str = ""
    external_id: str = ""
    email: str = ""

    @property
    def athlete(self) -> dict[str, str]:
        return {**self.tenant.headers, ACTING_USER: self.tenant.user_id}

    def secrets(self) -> dict[str, str]:
        """What nobody else may see: its ids, its participant's email and its key."""
        t = self.tenant
        return {
            "client id": t.client_id,
            "organization id": t.organization_id,
            "court id": t.court_id,
            "athlete id": t.user_id,
            "coach id": self.coach_id,
            "event id": self.event_id,
            "order id": self.order_id,
            "booking id": self.booking_id,
            "external id": self.external_id,
            "email": self.email,
            "key": t.key,
        }


def schedule_event(http: httpx.Client, admin_headers: dict[str, str], coach_id: str) -> str:
    """A one-hour event of the coach with three seats, at 09:00 on a random far-future day."""
    start = random_day() + timedelta(hours=9)
    event = {
        "coachId": coach_id,
        "sportId": str(uuid.uuid4()),
        "startAt": instant(start),
        "endAt": instant(start + timedelta(hours=1)),
        "timeslot": {
            "numberOfParticipants": 3,
            "slotType": "Offline",
            "ageFrom": 18,
            "ageTo": 99,
            "price": 700,
        },
    }
    created = expect(http.post("/api/v1/admin/coach-events", json=event, headers=admin_headers), 201)
    return str(created["eventId"])


def make_booking_tenant(http: httpx.Client, admin_headers: dict[str, str]) -> BookingTenant:
    """A tenant with all scopes and a coach; it owns one court booking, one order and its booking."""
    tenant = make_tenant(http, admin_headers, scopes=ALL_CLIENT_SCOPES)
    email = f"coach-{uuid.uuid4().hex[:10]}@example.com"
    coach = expect(http.post("/api/v1/admin/users", json={"email": email}, headers=admin_headers), 201)
    link = {"userId": coach["id"]}
    expect(
        http.post(f"/api/v1/admin/clients/{tenant.client_id}/users", json=link, headers=admin_headers), 201
    )
    owner = BookingTenant(tenant, coach["id"])
    owner.event_id = schedule_event(http, admin_headers, owner.coach_id)
    order = {"userId": tenant.user_id, "eventIds": [owner.event_id], "paymentMethod": {"type": "Cash"}}
    placed = expect(http.post("/api/v1/orders", json=order, headers=owner.athlete), 201)
    owner.order_id = placed["orderId"]
    owner.booking_id = placed["bookings"][0]["bookingId"]
    owner.external_id = f"secret-{uuid.uuid4().hex}"
    owner.email = f"secret-{uuid.uuid4().hex[:10]}@example.com"
    court_booking = booking_body(tenant.court_id, random_day(), participants=[{"email": owner.email}])
    expect(tenant.put(owner.external_id, court_booking), 201)
    return owner


@dataclass(frozen=True)
class Attempt:
    """One request of the intruder on the owner's data, and the statuses that refuse it."""

    label: str
    method: str
    path: str
    body: dict[str, Any] | None = None
    params: dict[str, str] | None = None
    acting_user: str | None = None
    allowed: frozenset[int] = frozenset({403, 404})


def attempts(intruder: BookingTenant, owner: BookingTenant) -> list[Attempt]:
    """Every way the intruder could reach the owner's service, courts, court bookings, orders and bookings."""
    b, a = owner.tenant, intruder.tenant
    own_court_body = booking_body(a.court_id, random_day())
    service_path = b.booking_path(owner.external_id)
    booking = f"/api/v1/bookings/{owner.booking_id}"
    updated = {"externalUpdatedAt": "2031-01-01T00:00:00Z"}
    return [
        Attempt("list the owner's service", "GET", b.list_path),
        Attempt("read the owner's court booking", "GET", service_path),
        Attempt("read an old version of it", "GET", service_path, params={"version": "1"}),
        Attempt("overwrite it", "PUT", service_path, body=own_court_body),
        Attempt(
            "overwrite it on the owner's court",
            "PUT",
            service_path,
            body=booking_body(b.court_id, random_day()),
        ),
        Attempt("cancel it", "DELETE", service_path, params=updated),
        Attempt(
            "read its history",
            "GET",
            f"/api/v1/audit/court-bookings/{b.client_id}/{owner.external_id}/history",
        ),
        Attempt(
            "book the owner's court",
            "PUT",
            a.booking_path(uuid.uuid4().hex),
            body=booking_body(b.court_id, random_day()),
        ),
        Attempt("read the owner's external id on its own service", "GET", a.booking_path(owner.external_id)),
        Attempt(
            "read the owner's external id's history on its own service",
            "GET",
            f"/api/v1/audit/court-bookings/{a.client_id}/{owner.external_id}/history",
        ),
        Attempt("read the owner's order", "GET", f"/api/v1/orders/{owner.order_id}"),
        Attempt(
            "settle the owner's order",
            "POST",
            f"/api/v1/orders/{owner.order_id}/payment",
            body={"status": "Paid"},
        ),
        Attempt(
            "fail the owner's order",
            "POST",
            f"/api/v1/orders/{owner.order_id}/payment",
            body={"status": "Failed"},
        ),
        Attempt("list the owner's athlete's orders", "GET", "/api/v1/orders", params={"userId": b.user_id}),
        Attempt("list the owner's athlete's bookings", "GET", f"/api/v1/bookings/by-user/{b.user_id}"),
        Attempt(
            "order for the owner's athlete",
            "POST",
            "/api/v1/orders",
            body={"userId": b.user_id, "eventIds": [owner.event_id], "paymentMethod": {"type": "Cash"}},
        ),
        Attempt(
            "order a seat of the owner's event for its own athlete",
            "POST",
            "/api/v1/orders",
            body={"userId": a.user_id, "eventIds": [owner.event_id], "paymentMethod": {"type": "Cash"}},
            allowed=frozenset({404}),
        ),
        Attempt(
            "list bookings of the owner's event",
            "GET",
            f"/api/v1/bookings/by-event/{owner.event_id}",
            allowed=frozenset({404}),
        ),
        Attempt(
            "act as the owner's athlete", "GET", f"/api/v1/orders/{owner.order_id}", acting_user=b.user_id
        ),
        Attempt("act as the owner's coach", "POST", f"{booking}/accept", acting_user=owner.coach_id),
        Attempt("read the owner's booking", "GET", booking),
        Attempt("accept it", "POST", f"{booking}/accept"),
        Attempt("reject it", "POST", f"{booking}/reject"),
        Attempt("cancel it", "POST", f"{booking}/cancel", body={"cancellationReasonCode": "Other"}),
        Attempt("mark it completed", "PATCH", f"{booking}/completed", body={"completed": True}),
        Attempt("write its note", "PUT", f"{booking}/note", body={"note": "mine now"}),
        Attempt("dismiss it", "POST", f"{booking}/dismiss", params={"userId": a.user_id}),
        Attempt("dispute it", "POST", f"{booking}/disputes", body={"reason": "mine"}),
        Attempt("resolve its dispute", "POST", f"{booking}/disputes/resolve", body={"resolution": "mine"}),
        # Lists on the intruder's own paths may answer, but never with the owner's data.
        Attempt(
            "filter its own list by the owner's court",
            "GET",
            a.list_path,
            params={"courtId": b.court_id},
            allowed=frozenset({200}),
        ),
    ]


def leaks(owner: BookingTenant, request: httpx.Request, response: httpx.Response) -> list[str]:
    """The owner's values in the response that the request did not itself carry."""
    sent = str(request.url) + request.content.decode() + json.dumps(dict(request.headers))
    return [name for name, value in owner.secrets().items() if value in response.text and value not in sent]


def test_a_client_never_reaches_another_clients_service_courts_bookings_or_orders(
    http: httpx.Client, admin_headers: dict[str, str], runtime: Runtime, tally: ScenarioResult
) -> None:
    owner, intruder = make_booking_tenant(http, admin_headers), make_booking_tenant(http, admin_headers)
    hits = []
    before = runtime.ledger.recorder.max_notification_id() or 0
    matrix = attempts(intruder, owner)
    for attempt in matrix:
        headers = {**intruder.tenant.headers, ACTING_USER: attempt.acting_user or intruder.tenant.user_id}
        response = http.request(
            attempt.method, attempt.path, json=attempt.body, params=attempt.params, headers=headers
        )
        if response.status_code not in attempt.allowed:
            hits.append(f"{attempt.label}: {response.status_code} {response.text[:200]}")
        leaked = leaks(owner, response.request, response)
        if leaked:
            hits.append(f"{attempt.label}: the response shows the owner's {', '.join(leaked)}")
    after = runtime.ledger.recorder.max_notification_id() or 0
    tally.runs += len(matrix) + 1
    tally.invariant_violations += len(hits) + (after != before)
    owner_view = expect(http.get(f"/api/v1/bookings/{owner.booking_id}", headers=owner.athlete), 200)
    # The leak detector sees the owner's data where it belongs: in the owner's own answers.
    control = http.get(owner.tenant.booking_path(owner.external_id), headers=owner.tenant.headers)

    assert "email" in leaks(owner, control.request, control)
    assert not hits, "\n".join(hits)
    assert after == before, f"the intruder's requests wrote {after - before} event(s)"
    assert owner_view["bookingStatus"] == "Pending"
    assert owner_view["note"] is None


def test_reusing_another_clients_idempotency_key_places_a_new_order_and_replays_nothing(
    http: httpx.Client, admin_headers: dict[str, str], tally: ScenarioResult
) -> None:
    owner, intruder = make_booking_tenant(http, admin_headers), make_booking_tenant(http, admin_headers)
    key = {"Idempotency-Key": f"shared-{uuid.uuid4().hex}"}
    owner_event = schedule_event(http, admin_headers, owner.coach_id)
    intruder_event = schedule_event(http, admin_headers, intruder.coach_id)
    owner_order = {
        "userId": owner.tenant.user_id,
        "eventIds": [owner_event],
        "paymentMethod": {"type": "Cash"},
    }
    intruder_order = {**owner_order, "userId": intruder.tenant.user_id, "eventIds": [intruder_event]}
    first = expect(http.post("/api/v1/orders", json=owner_order, headers={**owner.athlete, **key}), 201)
    other = http.post("/api/v1/orders", json=intruder_order, headers={**intruder.athlete, **key})
    leaked = leaks(owner, other.request, other) + [first["orderId"]] * (first["orderId"] in other.text)
    tally.runs += 1
    tally.invariant_violations += bool(leaked)

    assert other.status_code == 201, other.text
    assert not leaked, f"the intruder's answer shows {leaked}"
    assert other.json()["userId"] == intruder.tenant.user_id


def issue_key(http: httpx.Client, admin_headers: dict[str, str], client_id: str) -> dict[str, Any]:
    issued: dict[str, Any] = expect(
        http.post(f"/api/v1/admin/clients/{client_id}/api-keys", json={}, headers=admin_headers), 201
    )
    return issued


def test_a_revoked_key_is_refused_on_the_next_request_and_other_keys_keep_working(
    http: httpx.Client, admin_headers: dict[str, str], tally: ScenarioResult
) -> None:
    owner = make_booking_tenant(http, admin_headers)
    tenant = owner.tenant
    issued = issue_key(http, admin_headers, tenant.client_id)
    schemes = [
        {"Authorization": f"Bearer {issued['key']}"},
        {"Authorization": f"Token {issued['key']}"},
        {"x-api-key": issued["key"]},
    ]
    order_path = f"/api/v1/orders/{owner.order_id}"
    before = [http.get(tenant.list_path, headers=scheme).status_code for scheme in schemes]
    revoked = http.delete(
        f"/api/v1/admin/clients/{tenant.client_id}/api-keys/{issued['id']}", headers=admin_headers
    )
    after = [http.get(tenant.list_path, headers=scheme) for scheme in schemes]
    after += [http.get(order_path, headers={**scheme, ACTING_USER: tenant.user_id}) for scheme in schemes]
    still = http.get(tenant.list_path, headers=tenant.headers)
    listed = expect(http.get(f"/api/v1/admin/clients/{tenant.client_id}", headers=admin_headers), 200)
    problems = [refusal_problem(str(r.url.path), r) for r in after]
    tally.runs += len(after) + 1
    tally.invariant_violations += sum(1 for p in problems if p) + (still.status_code != 200)

    assert before == [200, 200, 200]
    assert revoked.status_code == 204, revoked.text
    assert problems == [None] * len(after), problems
    assert still.status_code == 200, still.text
    keys = {key["id"]: key for key in listed["apiKeys"]}
    assert keys[issued["id"]]["revokedAt"] is not None
    assert keys[tenant.key_id]["revokedAt"] is None


class Collector(logging.Handler):
    """Keeps every record's formatted message, its arguments and any exception text."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(f"{record.name} {record.getMessage()} {record.args!r} {record.exc_text or ''}")
        if record.exc_info:
            self.lines.append(logging.Formatter().formatException(record.exc_info))


@contextmanager
def server_logs() -> Iterator[Collector]:
    """Every record of the server's loggers at DEBUG while the block runs, including non-propagating ones."""
    collector = Collector()
    loggers = [logging.getLogger(name) for name in SERVER_LOGGERS]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.addHandler(collector)
        logger.setLevel(logging.DEBUG)
    try:
        yield collector
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.removeHandler(collector)
            logger.setLevel(level)


def table_rows(runtime: Runtime) -> list[str]:
    """Every row of every table in the test schema, as text."""
    schema = runtime.settings.db_schema
    with psycopg.connect(runtime.database_url) as conn:
        tables = conn.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = %s", (schema,)
        ).fetchall()
        assert tables, f"no tables in schema {schema}"
        rows: list[str] = []
        for (table,) in tables:
            query = sql.SQL("SELECT t::text FROM {}.{} t").format(
                sql.Identifier(schema), sql.Identifier(table)
            )
            rows += [row[0] for row in conn.execute(query).fetchall()]
    return rows


def forms(secret: str) -> list[str]:
    """The clear text, and its hex form as PostgreSQL prints it inside a bytea column (the events' state)."""
    return [secret, secret.encode().hex()]


def exercise_keys(
    base_url: str, admin_headers: dict[str, str], tenant: Tenant, keys: list[dict[str, Any]]
) -> None:
    """Use each key in each scheme, revoke one and use it again, and fail an admin call with a client key."""
    with httpx.Client(base_url=base_url, timeout=30) as http:
        for issued in keys:
            for scheme in ("Bearer", "Token"):
                expect(
                    http.get(tenant.list_path, headers={"Authorization": f"{scheme} {issued['key']}"}), 200
                )
            expect(
                http.put(
                    tenant.booking_path(uuid.uuid4().hex),
                    json=booking_body(tenant.court_id, random_day()),
                    headers={"x-api-key": issued["key"]},
                ),
                201,
            )
        revoked = keys[-1]
        path = f"/api/v1/admin/clients/{tenant.client_id}/api-keys/{revoked['id']}"
        expect(http.delete(path, headers=admin_headers), 204)
        expect(http.get(tenant.list_path, headers={"Authorization": f"Bearer {revoked['key']}"}), 401)
        expect(
            http.get(f"/api/v1/admin/clients/{tenant.client_id}", headers={"x-api-key": keys[0]["key"]}), 401
        )
        expect(http.get(f"/api/v1/admin/clients/{tenant.client_id}", headers=admin_headers), 200)
        expect(
            http.get(
                tenant.list_path, params={"cursor": "not-a-cursor"}, headers={"x-api-key": keys[0]["key"]}
            ),
            400,
        )


def test_keys_and_the_admin_token_appear_neither_in_any_table_nor_in_the_server_logs(
    http: httpx.Client,
    server: ServerThread,
    runtime: Runtime,
    admin_headers: dict[str, str],
    tally: ScenarioResult,
) -> None:
    tenant = make_tenant(http, admin_headers)
    keys = [issue_key(http, admin_headers, tenant.client_id) for _ in range(2)]
    with server_logs() as logs:
        exercise_keys(server.url, admin_headers, tenant, keys)
    listed = expect(http.get(f"/api/v1/admin/clients/{tenant.client_id}", headers=admin_headers), 200)
    head = runtime.ledger.recorder.max_notification_id() or 0
    assert runtime.court_bookings.wait_for(head, 5)
    rows = table_rows(runtime)
    secrets = {"admin token": admin_headers["Authorization"].split(" ", 1)[1], "tenant key": tenant.key}
    secrets |= {f"key {issued['id']}": issued["key"] for issued in keys}
    found = [
        f"{name} in {place}"
        for name, secret in secrets.items()
        for place, texts in (
            ("a table row", rows),
            ("the logs", logs.lines),
            ("the client listing", [json.dumps(listed)]),
        )
        if any(form in text for form in forms(secret) for text in texts)
    ]
    tally.runs += len(secrets) * 3
    tally.invariant_violations += len(found)

    assert any("GET" in line and tenant.list_path in line for line in logs.lines), (
        "no access log was captured"
    )
    assert len(rows) > 10
    assert not found, found
    assert {key["prefix"] for key in listed["apiKeys"]} >= {issued["key"][:11] for issued in keys}


def source_tree(function: Callable[..., Any]) -> ast.AST:
    return ast.parse(textwrap.dedent(inspect.getsource(function)))


def calls(tree: ast.AST) -> list[ast.Call]:
    return [node for node in ast.walk(tree) if isinstance(node, ast.Call)]


def call_names(tree: ast.AST) -> set[str]:
    return {ast.unparse(node.func) for node in calls(tree)}


def equality_comparisons(tree: ast.AST) -> list[str]:
    return [
        ast.unparse(node)
        for node in ast.walk(tree)
        if isinstance(node, ast.Compare) and any(isinstance(op, ast.Eq | ast.NotEq) for op in node.ops)
    ]


def constant_time_comparisons(tree: ast.AST) -> list[ast.Call]:
    return [
        node
        for node in calls(tree)
        if ast.unparse(node.func) in {"hmac.compare_digest", "secrets.compare_digest"}
    ]


def test_the_admin_token_is_compared_in_constant_time_as_a_hash(tally: ScenarioResult) -> None:
    check = source_tree(deps.require_admin)
    comparisons = constant_time_comparisons(check)
    tally.runs += 1

    assert len(comparisons) == 1, ast.unparse(check)
    arguments = [ast.unparse(argument) for argument in comparisons[0].args]
    assert any(argument.startswith("hash_token(") for argument in arguments), arguments
    assert any("admin_token_hash" in argument for argument in arguments), arguments
    assert equality_comparisons(check) == []
    assert "hashlib.sha256" in call_names(source_tree(runtime_module.hash_token))
    assert runtime_module.hash_token("token") == hashlib.sha256(b"token").hexdigest()


def test_api_keys_are_found_by_their_sha256_hash_and_compared_in_constant_time(
    http: httpx.Client, admin_headers: dict[str, str], runtime: Runtime, tally: ScenarioResult
) -> None:
    authenticate = source_tree(RegistryCommands.authenticate)
    lookup = source_tree(RegistryCommands.principal_of_key)
    matches = source_tree(ApiKey.matches)
    tenant = make_tenant(http, admin_headers)
    stored = runtime.ledger.find(api_key_id(hash_api_key(tenant.key)), ApiKey)
    tally.runs += 1

    assert {"hash_api_key", "api_key_id", "self.principal_of_key"} <= call_names(authenticate)
    assert {"self.find", "api_key.matches"} <= call_names(lookup)
    assert equality_comparisons(authenticate) == equality_comparisons(lookup) == []
    assert len(constant_time_comparisons(matches)) == 1
    assert equality_comparisons(matches) == []
    assert "hashlib.sha256" in call_names(source_tree(client_module.hash_api_key))
    assert stored is not None
    assert stored.key_hash == hashlib.sha256(tenant.key.encode()).hexdigest()
    assert tenant.key not in repr(vars(stored))


def test_a_key_in_the_query_string_is_refused_and_no_credential_like_parameter_is_logged(
    http: httpx.Client, server: ServerThread, admin_headers: dict[str, str], tally: ScenarioResult
) -> None:
    tenant = make_tenant(http, admin_headers)
    opaque = f"opaque-{uuid.uuid4().hex}"
    with server_logs() as logs, httpx.Client(base_url=server.url, timeout=30) as client:
        refused = [
            client.get(tenant.list_path, params={"api_key": tenant.key}),
            client.get(f"{tenant.list_path}?limit=1&access%5Ftoken={tenant.key}"),
            client.get(
                f"/api/v1/orders/{uuid.uuid4()}", params={"token": tenant.key}, headers=tenant.headers
            ),
        ]
        # Not a name the API refuses, but one the log must not show either.
        ignored = client.get(tenant.list_path, params={"session_token": opaque}, headers=tenant.headers)
    # The test's own HTTP client logs its URLs too; only the server's records count.
    server_lines = [line for line in logs.lines if not line.startswith(("httpx ", "httpcore."))]
    access = [line for line in server_lines if line.startswith("uvicorn.access")]
    logged = [line for line in server_lines if tenant.key in line or opaque in line]
    tally.runs += len(refused) + 1
    tally.invariant_violations += len(logged) + sum(r.status_code != 400 for r in refused)

    assert [r.status_code for r in refused] == [400, 400, 400], [r.text for r in refused]
    assert ignored.status_code == 200, ignored.text
    assert len(access) == 4, access
    assert all("=[redacted]" in line for line in access), access
    assert not logged, logged
