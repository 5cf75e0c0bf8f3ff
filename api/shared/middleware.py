"""Per-request plumbing for every surface: request ids, trace context, body limit, security headers."""

from __future__ import annotations

import re
import secrets
from typing import Any
from urllib.parse import unquote_to_bytes

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.shared.problems import (
    CredentialInQueryError,
    HeadersTooLargeError,
    PayloadTooLargeError,
    RequestSchemaError,
)
from api.shared.query_credentials import refused_names
from api.shared.surface import Surfaces
from domain.errors import LedgerError
from ledger.logs import CURRENT_REQUEST, RequestIds

# W3C trace context: version, trace id, parent id, flags; all-zero ids and version ff are invalid.
TRACEPARENT = re.compile(r"^(?!ff)[0-9a-f]{2}-(?!0{32})([0-9a-f]{32})-(?!0{16})([0-9a-f]{16})-([0-9a-f]{2})$")
REQUEST_ID = re.compile(r"^[A-Za-z0-9._:\-]{1,128}$")
NO_STORE = "no_store"
"""The request-state flag of a response that carries a secret (set by `api.shared.deps.carries_secret`)."""


def parse_traceparent(value: str | None) -> tuple[str, str] | None:
    """The (trace id, flags) of a valid traceparent header, else None."""
    match = TRACEPARENT.match(value or "")
    return (match.group(1), match.group(3)) if match else None


class RequestContextMiddleware:
    """Assigns the request id and trace, buffers the body up to the limit, and echoes both ids."""

    def __init__(self, app: ASGIApp, max_body_bytes: int, max_header_bytes: int, surfaces: Surfaces) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.max_header_bytes = max_header_bytes
        self.surfaces = surfaces

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {key.decode("latin-1").lower(): value.decode("latin-1") for key, value in scope["headers"]}
        offered_id = headers.get("x-request-id", "")
        request_id = offered_id if REQUEST_ID.match(offered_id) else secrets.token_hex(16)
        incoming = headers.get("traceparent")
        parsed = parse_traceparent(incoming)
        trace_id, flags = parsed if parsed else (secrets.token_hex(16), "01")
        state: dict[str, Any] = scope.setdefault("state", {})
        state.update(
            request_id=request_id,
            trace_id=trace_id,
            traceparent_received=incoming is not None,
            traceparent_valid=parsed is not None,
        )
        # Every log line written while serving the request carries its ids; the request runs in a task of its
        # own, whose context ends with it.
        CURRENT_REQUEST.set(RequestIds(request_id, trace_id))
        reply_headers = [
            (b"x-request-id", request_id.encode()),
            (b"traceparent", f"00-{trace_id}-{secrets.token_hex(8)}-{flags}".encode()),
            (b"x-content-type-options", b"nosniff"),
        ]

        async def send_with_ids(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [*message.get("headers", []), *reply_headers]
                if state.get(NO_STORE):
                    # A secret must not stay in any cache, shared or the client's own.
                    headers = [(k, v) for k, v in headers if k.lower() not in (b"cache-control", b"pragma")]
                    headers += [(b"cache-control", b"no-store"), (b"pragma", b"no-cache")]
                message["headers"] = headers
            await send(message)

        refusal = self._refusal(scope)
        body = await self._read_body(receive, headers) if refusal is None else b""
        if body is None:
            refusal = PayloadTooLargeError("The request body exceeds 1 MiB.")
        if refusal is not None:
            await self.surfaces.error_response(scope, refusal)(scope, receive, send_with_ids)
            return

        state["body"] = body
        delivered = False

        async def replay_body() -> Message:
            nonlocal delivered
            if not delivered:
                delivered = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay_body, send_with_ids)

    def _refusal(self, scope: Scope) -> LedgerError | None:
        """Why the request is refused before the app: oversized headers, a path that is not UTF-8, or a
        credential in the query string (which proxies and access logs keep)."""
        if sum(len(key) + len(value) for key, value in scope["headers"]) > self.max_header_bytes:
            return HeadersTooLargeError(f"The request headers exceed {self.max_header_bytes} bytes.")
        credentials = refused_names(scope.get("query_string", b"").decode("latin-1"))
        if credentials:
            return CredentialInQueryError(credentials)
        try:
            # The server decodes the path leniently; two different ids must never collapse into one.
            unquote_to_bytes(scope.get("raw_path") or b"").decode("utf-8")
        except UnicodeDecodeError:
            return RequestSchemaError(
                "The path is not valid UTF-8.",
                [{"path": ["path"], "code": "utf8", "message": "Invalid UTF-8."}],
            )
        return None

    async def _read_body(self, receive: Receive, headers: dict[str, str]) -> bytes | None:
        """The whole body, or None when it is larger than the limit."""
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_body_bytes:
            return None
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body_bytes:
                return None
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        return b"".join(chunks)
