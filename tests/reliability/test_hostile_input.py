"""Hostile input against the live server: each case gets a 4xx in its surface's format and writes nothing."""

from __future__ import annotations

import json
import socket
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial
from typing import Any, Literal
from urllib.parse import quote

import httpx
import psycopg
import pytest
from psycopg import sql

from api.app import create_app
from ledger.runtime import Runtime, open_runtime
from ledger.settings import Settings
from tests.reliability.report import ScenarioResult
from tests.support import (
    ACTING_USER,
    MovableClock,
    ServerThread,
    Tenant,
    booking_body,
    expect,
    instant,
    make_tenant,
    random_day,
)

MIB = 1024 * 1024
ORDER_SCOPES = ["bookings:read", "bookings:write", "orders:write"]
HOLE = "__hostile__"
Surface = Literal["partner", "orders"]
ERROR_TYPES: dict[Surface, dict[int, str]] = {
    "partner": {400: "invalid_schema", 413: "payload_too_large"},
    "orders": {400: "validation", 413: "payload_too_large"},
}
# Stored and answered verbatim: SQL and JSON meta-characters, quotes, escapes, wildcards, non-ASCII.
META_IDS = [
    "'; DROP TABLE events; --",
    "Robert'); DELETE FROM bookings WHERE ('1'='1",
    '" OR "1"="1',
    '{"$ne": null}',
    '\\"}], "status": "canceled',
    "%' OR '%'='",
    "_%_\\_",
    "a+b=c&d?e#f",
    "ü💥 ünïcødé",
]
META_IDEMPOTENCY_KEY = '\'; DROP TABLE orders; --"}]{"$gt": ""}'


@dataclass(frozen=True)
class Reply:
    """What came back: a status, or None when the server closed the connection without answering."""

    status: int | None
    body: str = ""
    content_type: str = ""
    request_id: str = ""


def reply_of(send: Callable[[], httpx.Response]) -> Reply:
    try:
        response = send()
    except (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError):
        return Reply(None)
    return Reply(
        response.status_code,
        response.text,
        response.headers.get("content-type", ""),
        response.headers.get("x-request-id", ""),
    )


def raw_reply(port: int, request: bytes) -> Reply:
    """Send bytes that no HTTP client would send; parse only the status line of the answer."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        try:
            sock.sendall(request)
            answer = sock.recv(65536)
        except OSError:
            return Reply(None)
    if not answer:
        return Reply(None)
    head, _, body = answer.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.lower().split(": ", 1) for line in lines[1:] if ": " in line)
    return Reply(int(lines[0].split()[1]), body.decode("utf-8", "replace"), headers.get("content-type", ""))


def with_token(body: dict[str, Any], token: str) -> str:
    """The body as JSON, with the string HOLE (placed in one field) replaced by a raw JSON token."""
    return json.dumps(body).replace(json.dumps(HOLE), token)


def nested_arrays(depth: int) -> str:
    return "[" * depth + "]" * depth


@dataclass
class Target:
    """A running server and what the cases aim at: a partner tenant, and an athlete with bookable events."""

    http: httpx.Client
    port: int
    admin_headers: dict[str, str]
    partner: Tenant
    orders: Tenant
    coach_id: str
    event_id: str
    spare_event_id: str
    booking_id: str = ""

    def schedule_event(self, start: datetime) -> str:
        return schedule_event(self.http, self.admin_headers, self.coach_id, start)

    def partner_body(self, **fields: Any) -> dict[str, Any]:
        return {**booking_body(self.partner.court_id, random_day()), **fields}

    def order_body(self, **fields: Any) -> dict[str, Any]:
        body = {"userId": self.orders.user_id, "eventIds": [self.event_id], "paymentMethod": {"type": "Cash"}}
        return {**body, **fields}

    @property
    def athlete(self) -> dict[str, str]:
        return {**self.orders.headers, ACTING_USER: self.orders.user_id}

    def put_booking(
        self,
        content: str | bytes | Iterator[bytes] | None = None,
        body: dict[str, Any] | None = None,
        external_id: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> Reply:
        path = self.partner.booking_path(external_id or f"hostile-{uuid.uuid4().hex}")
        sent = {**self.partner.headers, "content-type": "application/json", **(headers or {})}
        if content is None:
            content = json.dumps(body if body is not None else self.partner_body())
        return reply_of(lambda: self.http.put(path, content=content, headers=sent))

    def post_order(
        self,
        content: str | bytes | None = None,
        body: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> Reply:
        sent = {**self.athlete, "content-type": "application/json", **(headers or {})}
        if content is None:
            content = json.dumps(body if body is not None else self.order_body())
        return reply_of(lambda: self.http.post("/api/v1/orders", content=content, headers=sent))

    def get(self, path: str, params: dict[str, str], headers: dict[str, str]) -> Reply:
        return reply_of(lambda: self.http.get(path, params=params, headers=headers))


def oversized_chunks() -> Iterator[bytes]:
    """A body over 1 MiB sent chunked, so no Content-Length announces its size."""
    yield b'{"participants": ["'
    for _ in range(12):
        yield b"x" * 100_000
    yield b'"]}'


@dataclass(frozen=True)
class HostileCase:
    """One hostile request, the status it must get, and whether the HTTP server itself may refuse it."""

    name: str
    surface: Surface
    status: int
    send: Callable[[Target], Reply]
    transport_may_refuse: bool = False


PARTNER_CASES = [
    HostileCase(
        "partner: body over 1 MiB",
        "partner",
        413,
        lambda t: t.put_booking(json.dumps(t.partner_body(padding="x" * (MIB + 1)))),
    ),
    HostileCase(
        "partner: chunked body over 1 MiB without Content-Length",
        "partner",
        413,
        lambda t: t.put_booking(oversized_chunks()),
    ),
    HostileCase(
        "partner: 100,000 nested arrays", "partner", 400, lambda t: t.put_booking(nested_arrays(100_000))
    ),
    HostileCase(
        "partner: 100,000 nested objects in a field",
        "partner",
        400,
        lambda t: t.put_booking(
            with_token(t.partner_body(participants=HOLE), '{"a":' * 100_000 + "}" * 100_000)
        ),
    ),
    HostileCase(
        "partner: invalid UTF-8 in the body",
        "partner",
        400,
        lambda t: t.put_booking(
            json.dumps(t.partner_body(participants=[{"email": HOLE}]))
            .encode()
            .replace(HOLE.encode(), b"\xff\xfe")
        ),
    ),
    HostileCase(
        "partner: invalid UTF-8 in the external id",
        "partner",
        400,
        lambda t: t.put_booking(external_id=f"caf%E9-{uuid.uuid4().hex}"),
    ),
    HostileCase(
        "partner: NUL byte in a participant's email",
        "partner",
        400,
        lambda t: t.put_booking(body=t.partner_body(participants=[{"email": "ana\x00@example.com"}])),
    ),
    HostileCase(
        "partner: NUL byte in the external id",
        "partner",
        400,
        lambda t: t.put_booking(external_id=f"ab%00cd-{uuid.uuid4().hex}"),
    ),
    HostileCase(
        "partner: NUL byte in the court id",
        "partner",
        400,
        lambda t: t.put_booking(body=t.partner_body(courtId=t.partner.court_id + "\x00")),
    ),
    HostileCase(
        "partner: 10,000 participants",
        "partner",
        400,
        lambda t: t.put_booking(
            body=t.partner_body(participants=[{"email": f"p{i}@example.com"} for i in range(10_000)])
        ),
    ),
    HostileCase(
        "partner: external id of 10,000 characters",
        "partner",
        400,
        lambda t: t.put_booking(external_id="x" * 10_000),
    ),
    HostileCase(
        "partner: 100 KB header value",
        "partner",
        431,
        lambda t: t.put_booking(headers={"x-padding": "a" * 100_000}),
        transport_may_refuse=True,
    ),
    HostileCase(
        "partner: far-future start (year 9999)",
        "partner",
        400,
        lambda t: t.put_booking(body=t.partner_body(startDate="9999-12-31T23:00:00Z")),
    ),
    HostileCase(
        "partner: far-past start (year 1)",
        "partner",
        400,
        lambda t: t.put_booking(body=t.partner_body(startDate="0001-01-01T00:00:00Z")),
    ),
    HostileCase(
        "partner: update time that overflows when converted to UTC",
        "partner",
        400,
        lambda t: t.put_booking(body=t.partner_body(externalUpdatedAt="0001-01-01T00:00:00+14:00")),
    ),
    HostileCase(
        "partner: end in year 10000",
        "partner",
        400,
        lambda t: t.put_booking(body=t.partner_body(endDate="+10000-01-01T00:00:00Z")),
    ),
    HostileCase(
        "partner: NaN as a date",
        "partner",
        400,
        lambda t: t.put_booking(with_token(t.partner_body(startDate=HOLE), "NaN")),
    ),
    HostileCase(
        "partner: -Infinity as a date",
        "partner",
        400,
        lambda t: t.put_booking(with_token(t.partner_body(externalUpdatedAt=HOLE), "-Infinity")),
    ),
    HostileCase(
        "partner: 400-digit integer as a date",
        "partner",
        400,
        lambda t: t.put_booking(with_token(t.partner_body(endDate=HOLE), "9" * 400)),
    ),
    HostileCase(
        "partner: 1e999 as the court id",
        "partner",
        400,
        lambda t: t.put_booking(with_token(t.partner_body(courtId=HOLE), "1e999")),
    ),
    HostileCase(
        "partner: lone surrogate escape in an email",
        "partner",
        400,
        lambda t: t.put_booking(
            with_token(t.partner_body(participants=[{"email": HOLE}]), '"\\ud800@x.com"')
        ),
    ),
    HostileCase(
        "partner: overflowing version query",
        "partner",
        400,
        lambda t: t.get(t.partner.booking_path("any"), {"version": str(10**30)}, t.partner.headers),
    ),
    HostileCase(
        "partner: overflowing limit query",
        "partner",
        400,
        lambda t: t.get(t.partner.list_path, {"limit": str(2**64)}, t.partner.headers),
    ),
    HostileCase(
        "partner: NaN as the list's position",
        "partner",
        400,
        lambda t: t.get(t.partner.list_path, {"consistentWith": "NaN"}, t.partner.headers),
    ),
]

ORDER_CASES = [
    HostileCase(
        "orders: body over 1 MiB",
        "orders",
        413,
        lambda t: t.post_order(json.dumps(t.order_body(padding="x" * (MIB + 1)))),
    ),
    HostileCase(
        "orders: 100,000 nested arrays", "orders", 400, lambda t: t.post_order(nested_arrays(100_000))
    ),
    HostileCase(
        "orders: invalid UTF-8 in the body",
        "orders",
        400,
        lambda t: t.post_order(json.dumps(t.order_body()).encode().replace(b"Cash", b"C\xe9sh\xff")),
    ),
    HostileCase(
        "orders: invalid UTF-8 in the acting user header",
        "orders",
        400,
        lambda t: reply_of(
            lambda: t.http.post(
                "/api/v1/orders",
                json=t.order_body(),
                headers=[
                    (b"authorization", f"Bearer {t.orders.key}".encode()),
                    (ACTING_USER.encode(), b"\xff\xfe" + t.orders.user_id.encode()),
                ],
            )
        ),
    ),
    HostileCase(
        "orders: NUL byte in the payment type",
        "orders",
        400,
        lambda t: t.post_order(body=t.order_body(paymentMethod={"type": "Cash\x00"})),
    ),
    HostileCase(
        "orders: NUL byte in an event id",
        "orders",
        400,
        lambda t: t.post_order(body=t.order_body(eventIds=[t.event_id + "\x00"])),
    ),
    HostileCase(
        "orders: NUL byte in the Idempotency-Key header",
        "orders",
        400,
        lambda t: raw_reply(
            t.port,
            b"POST /api/v1/orders HTTP/1.1\r\nHost: test\r\nIdempotency-Key: a\x00b\r\n"
            + f"Authorization: Bearer {t.orders.key}\r\n{ACTING_USER}: {t.orders.user_id}\r\n".encode()
            + b"Content-Type: application/json\r\nContent-Length: "
            + str(len(json.dumps(t.order_body()))).encode()
            + b"\r\nConnection: close\r\n\r\n"
            + json.dumps(t.order_body()).encode(),
        ),
        transport_may_refuse=True,
    ),
    HostileCase(
        "orders: 10,000 event ids",
        "orders",
        400,
        lambda t: t.post_order(body=t.order_body(eventIds=[str(uuid.uuid4()) for _ in range(10_000)])),
    ),
    HostileCase(
        "orders: 100 KB header value",
        "orders",
        431,
        lambda t: t.post_order(
            body=t.order_body(eventIds=[t.spare_event_id]), headers={"x-padding": "a" * 100_000}
        ),
        transport_may_refuse=True,
    ),
    HostileCase(
        "orders: NaN as the user id",
        "orders",
        400,
        lambda t: t.post_order(with_token(t.order_body(userId=HOLE), "NaN")),
    ),
    HostileCase(
        "orders: Infinity as the payment type",
        "orders",
        400,
        lambda t: t.post_order(with_token(t.order_body(paymentMethod={"type": HOLE}), "Infinity")),
    ),
    HostileCase(
        "orders: 400-digit integer as the user id",
        "orders",
        400,
        lambda t: t.post_order(with_token(t.order_body(userId=HOLE), "9" * 400)),
    ),
    HostileCase(
        "orders: 1e999 as the payment method id",
        "orders",
        400,
        lambda t: t.post_order(
            with_token(t.order_body(paymentMethod={"type": "Card", "methodId": HOLE}), "1e999")
        ),
    ),
    HostileCase(
        "orders: 400-digit acting user header",
        "orders",
        400,
        lambda t: t.post_order(headers={ACTING_USER: "9" * 400}),
    ),
    HostileCase(
        "orders: lone surrogate escape in the payment type",
        "orders",
        400,
        lambda t: t.post_order(with_token(t.order_body(paymentMethod={"type": HOLE}), '"\\udfff"')),
    ),
    HostileCase(
        "orders: far-future start of the order list (year 9999)",
        "orders",
        400,
        lambda t: t.get(
            "/api/v1/orders", {"userId": t.orders.user_id, "startAt": "9999-12-31T23:00:00Z"}, t.athlete
        ),
    ),
    HostileCase(
        "orders: far-past end of the bookings list (year 1, overflowing UTC)",
        "orders",
        400,
        lambda t: t.get(
            f"/api/v1/bookings/by-user/{t.orders.user_id}", {"endAt": "0001-01-01T00:00:00+14:00"}, t.athlete
        ),
    ),
]

# Text that the bookings view stores: a value PostgreSQL cannot hold must be refused before the event is
# written, or the view stops on it. They run on a server of their own: a defect cannot stall the session's.
QUARANTINED_CASES = [
    HostileCase(
        "bookings: NUL byte in a cancellation reason",
        "orders",
        400,
        lambda t: reply_of(
            lambda: t.http.post(
                f"/api/v1/bookings/{t.booking_id}/cancel",
                json={"cancellationReasonCode": "Other", "cancellationReasonText": "sick\x00"},
                headers=t.athlete,
            )
        ),
    ),
    HostileCase(
        "bookings: NUL byte in a note",
        "orders",
        400,
        lambda t: reply_of(
            lambda: t.http.put(
                f"/api/v1/bookings/{t.booking_id}/note", json={"note": "a\x00b"}, headers=t.athlete
            )
        ),
    ),
]
META_CASES = [f"partner: meta-characters in an external id: {external_id}" for external_id in META_IDS] + [
    "orders: meta-characters in the Idempotency-Key"
]
REFUSED_CASES = [case.name for case in PARTNER_CASES + ORDER_CASES + QUARANTINED_CASES]
VIEW_CHECKS = [
    "the session server's views reach the log head",
    "the quarantined bookings view reaches the log head",
]


@dataclass
class Outcome:
    """What one case got, and what was wrong with it (empty when the server behaved)."""

    name: str
    status: int | None
    problems: list[str] = field(default_factory=list)


def format_problems(surface: Surface, status: int, reply: Reply) -> list[str]:
    """Why the reply is not an error in the surface's format with the status's type, if it is not."""
    try:
        body = json.loads(reply.body)
    except ValueError:
        return [f"not JSON: {reply.body[:200]!r}"]
    expected_type = ERROR_TYPES[surface].get(status)
    if surface == "partner":
        error = body.get("error") if isinstance(body, dict) else None
        if not isinstance(error, dict) or not {"type", "message"} <= set(error) <= {
            "type",
            "message",
            "issues",
        }:
            return [f"not the partner error format: {reply.body[:200]}"]
        found = error["type"]
    else:
        entries = body.get("errors") if isinstance(body, dict) else None
        if not isinstance(entries, list) or not entries:
            return [f"not the orders error format: {reply.body[:200]}"]
        for entry in entries:
            if (
                set(entry) != {"code", "message", "endpoint", "requestId"}
                or entry["requestId"] != reply.request_id
            ):
                return [f"malformed error entry: {entry}"]
        found = entries[0]["code"]
    return (
        [f"error type {found!r}, expected {expected_type!r}"]
        if expected_type and found != expected_type
        else []
    )


def judge(case: HostileCase, reply: Reply, written: int) -> Outcome:
    outcome = Outcome(case.name, reply.status)
    if reply.status is None:
        if not case.transport_may_refuse:
            outcome.problems.append("the server closed the connection without answering")
    elif reply.status >= 500:
        outcome.problems.append(f"server error {reply.status}: {reply.body[:300]}")
    elif case.transport_may_refuse and 400 <= reply.status < 500:
        if reply.content_type.startswith("application/json"):
            outcome.problems += format_problems(case.surface, reply.status, reply)
    elif reply.status != case.status:
        outcome.problems.append(f"status {reply.status}, expected {case.status}: {reply.body[:300]}")
    else:
        outcome.problems += format_problems(case.surface, reply.status, reply)
    if written:
        outcome.problems.append(f"{written} event(s) written")
    return outcome


def run_cases(runtime: Runtime, target: Target, cases: list[HostileCase]) -> list[Outcome]:
    """Send each case and compare the event log's head before and after it."""
    outcomes = []
    for case in cases:
        before = runtime.ledger.recorder.max_notification_id() or 0
        reply = case.send(target)
        after = runtime.ledger.recorder.max_notification_id() or 0
        outcomes.append(judge(case, reply, after - before))
    return outcomes


def schedule_event(http: httpx.Client, admin_headers: dict[str, str], coach_id: str, start: datetime) -> str:
    body = {
        "coachId": coach_id,
        "sportId": str(uuid.uuid4()),
        "startAt": instant(start),
        "endAt": instant(start + timedelta(hours=1)),
        "timeslot": {
            "numberOfParticipants": 4,
            "slotType": "Offline",
            "ageFrom": 18,
            "ageTo": 99,
            "price": 900,
        },
    }
    return str(
        expect(http.post("/api/v1/admin/coach-events", json=body, headers=admin_headers), 201)["eventId"]
    )


def make_target(http: httpx.Client, port: int, admin_headers: dict[str, str], start: datetime) -> Target:
    """A partner tenant, and a client with the order scopes whose athlete may book two events of its coach."""
    partner = make_tenant(http, admin_headers)
    orders = make_tenant(http, admin_headers, scopes=ORDER_SCOPES)
    coach = expect(
        http.post(
            "/api/v1/admin/users",
            json={"email": f"coach-{uuid.uuid4().hex[:8]}@example.com"},
            headers=admin_headers,
        ),
        201,
    )
    link = {"userId": coach["id"]}
    expect(
        http.post(f"/api/v1/admin/clients/{orders.client_id}/users", json=link, headers=admin_headers), 201
    )
    event_id = schedule_event(http, admin_headers, coach["id"], start)
    spare_event_id = schedule_event(http, admin_headers, coach["id"], start + timedelta(days=1))
    return Target(http, port, admin_headers, partner, orders, coach["id"], event_id, spare_event_id)


def meta_outcomes(runtime: Runtime, target: Target) -> list[Outcome]:
    """Meta-character ids are stored, read, listed and audited verbatim; such a key replays its order."""
    outcomes = []
    partner = target.partner
    for external_id, name in zip(META_IDS, META_CASES[:-1], strict=True):
        encoded = quote(external_id, safe="")
        path = partner.booking_path(encoded)
        history_path = f"/api/v1/audit/court-bookings/{partner.client_id}/{encoded}/history"
        body = target.partner_body()
        written = reply_of(partial(target.http.put, path, json=body, headers=partner.headers))
        read = reply_of(partial(target.http.get, path, headers=partner.headers))
        history = reply_of(partial(target.http.get, history_path, headers=partner.headers))
        outcome = Outcome(name, written.status)
        for label, got, status in (("upsert", written, 201), ("read", read, 200), ("history", history, 200)):
            if got.status != status:
                outcome.problems.append(f"{label}: status {got.status}, expected {status}: {got.body[:300]}")
            elif label != "history" and json.loads(got.body)["externalCourtBookingId"] != external_id:
                outcome.problems.append(
                    f"{label}: id came back as {json.loads(got.body)['externalCourtBookingId']!r}"
                )
        outcomes.append(outcome)
    position = runtime.ledger.recorder.max_notification_id() or 0
    listed = reply_of(
        lambda: target.http.get(
            partner.list_path, params={"consistentWith": str(position)}, headers=partner.headers
        )
    )
    ids = {booking["externalCourtBookingId"] for booking in json.loads(listed.body)["data"]}
    if not set(META_IDS) <= ids:
        outcomes[0].problems.append(f"the list lacks {sorted(set(META_IDS) - ids)}; it shows {sorted(ids)}")
    key = {"Idempotency-Key": META_IDEMPOTENCY_KEY}
    body = target.order_body(eventIds=[target.schedule_event(random_day() + timedelta(hours=12))])
    first = target.post_order(body=body, headers=key)
    again = target.post_order(body=body, headers=key)
    outcome = Outcome(META_CASES[-1], first.status)
    if first.status != 201 or again.status != 201:
        outcome.problems.append(
            f"statuses {first.status}, {again.status}, expected 201 twice: {again.body[:300]}"
        )
    elif json.loads(first.body)["orderId"] != json.loads(again.body)["orderId"]:
        outcome.problems.append("the retry with the same key placed a second order")
    outcomes.append(outcome)
    return outcomes


def views_outcome(name: str, runtime: Runtime) -> Outcome:
    """Whatever the server accepted, its views must still reach the head of the log."""
    head = runtime.ledger.recorder.max_notification_id() or 0
    outcome = Outcome(name, None)
    for label, view in (("court bookings", runtime.court_bookings), ("bookings", runtime.bookings)):
        if not view.wait_for(head, 5):
            outcome.problems.append(f"the {label} view is stuck at {view.position()} of {head}")
    return outcome


@pytest.fixture(scope="module")
def quarantine(settings: Settings) -> Iterator[tuple[Runtime, ServerThread, MovableClock]]:
    """A server on a schema of its own, for cases that could stall a projection if it accepted them."""
    isolated = settings.model_copy(update={"db_schema": f"{settings.db_schema}_hostile"})
    clock = MovableClock()
    assert isolated.database_url is not None
    try:
        with (
            open_runtime(isolated, run_projections=True, clock=clock) as runtime,
            ServerThread(create_app(runtime=runtime)) as server,
        ):
            yield runtime, server, clock
    finally:
        with psycopg.connect(isolated.database_url, autocommit=True) as conn:
            drop = sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(isolated.db_schema))
            conn.execute(drop)


def quarantined_outcomes(
    quarantine: tuple[Runtime, ServerThread, MovableClock], admin_headers: dict[str, str]
) -> list[Outcome]:
    """Run the quarantined cases on a booking that has happened; the bookings view must keep up afterwards."""
    runtime, server, clock = quarantine
    with httpx.Client(base_url=server.url, timeout=60) as http:
        start = random_day() + timedelta(hours=9)
        target = make_target(http, server.port, admin_headers, start)
        order = expect(http.post("/api/v1/orders", json=target.order_body(), headers=target.athlete), 201)
        target.booking_id = order["bookings"][0]["bookingId"]
        clock.advance(start + timedelta(hours=2) - clock())
        outcomes = run_cases(runtime, target, QUARANTINED_CASES)
    return [*outcomes, views_outcome(VIEW_CHECKS[1], runtime)]


@pytest.fixture(scope="module")
def outcomes(
    http: httpx.Client,
    server: ServerThread,
    runtime: Runtime,
    admin_headers: dict[str, str],
    quarantine: tuple[Runtime, ServerThread, MovableClock],
) -> dict[str, Outcome]:
    target = make_target(http, server.port, admin_headers, random_day() + timedelta(hours=9))
    done = run_cases(runtime, target, PARTNER_CASES + ORDER_CASES)
    done += quarantined_outcomes(quarantine, admin_headers)
    done += meta_outcomes(runtime, target)
    done.append(views_outcome(VIEW_CHECKS[0], runtime))
    return {outcome.name: outcome for outcome in done}


@pytest.mark.parametrize("name", REFUSED_CASES)
def test_hostile_request_is_refused_in_the_surface_format_without_writing(
    outcomes: dict[str, Outcome], name: str
) -> None:
    outcome = outcomes[name]

    assert not outcome.problems, f"{name} (status {outcome.status}): " + "; ".join(outcome.problems)


@pytest.mark.parametrize("name", META_CASES)
def test_meta_characters_are_stored_and_answered_verbatim(outcomes: dict[str, Outcome], name: str) -> None:
    outcome = outcomes[name]

    assert outcome.status == 201
    assert not outcome.problems, "; ".join(outcome.problems)


@pytest.mark.parametrize("name", VIEW_CHECKS)
def test_views_still_follow_the_log_after_the_hostile_requests(
    outcomes: dict[str, Outcome], name: str
) -> None:
    assert not outcomes[name].problems, "; ".join(outcomes[name].problems)


def test_hostile_input_scenario_has_no_server_errors_and_no_stray_writes(
    outcomes: dict[str, Outcome],
) -> None:
    result = ScenarioResult(
        "hostile input",
        runs=len(REFUSED_CASES) + len(META_CASES),
        acknowledged=sum(1 for name in META_CASES if outcomes[name].status == 201),
        server_errors=sum(1 for o in outcomes.values() if o.status is not None and o.status >= 500),
        invariant_violations=sum(
            1 for o in outcomes.values() if o.problems and not (o.status is not None and o.status >= 500)
        ),
    )
    failures = [f"{o.name}: {'; '.join(o.problems)}" for o in outcomes.values() if o.problems]

    try:
        result.assert_clean()
    except AssertionError as error:
        raise AssertionError(f"{error}\n" + "\n".join(failures)) from None
    assert len(outcomes) == len(REFUSED_CASES) + len(META_CASES) + len(VIEW_CHECKS)
