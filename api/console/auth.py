"""Console sign-in: an API key or the admin token opens a cookie session; forms carry a CSRF token."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from fastapi import Request, Response

from api.console.errors import ConsoleScopeError, CsrfTokenError, SignInRequiredError
from domain.client import InvalidApiTokenError, hash_api_key
from domain.context import ADMIN, Principal
from domain.ids import api_key_id
from ledger.console_sessions import ConsoleSession
from ledger.runtime import Runtime, hash_token

SESSION_COOKIE = "ledger_console"
SIGN_IN_CSRF_COOKIE = "ledger_console_signin"
CONSOLE_SCOPES = ("analytics:read", "audit:read")
COOKIE_PATH = "/console"


def can_use_console(principal: Principal) -> bool:
    return any(principal.has_scope(scope) for scope in CONSOLE_SCOPES)


def _checked(principal: Principal) -> Principal:
    if not can_use_console(principal):
        raise ConsoleScopeError("The console needs a key with the analytics:read or audit:read scope.")
    return principal


def session_for_key(runtime: Runtime, key: str) -> ConsoleSession:
    """The session a presented credential opens: the admin's, or its API key's; refused without a scope."""
    if hmac.compare_digest(hash_token(key), runtime.admin_token_hash):
        return ConsoleSession("admin", admin_token_hash=runtime.admin_token_hash)
    _checked(runtime.ledger.authenticate(key))
    return ConsoleSession("client", key_id=api_key_id(hash_api_key(key)))


def session_principal(request: Request, runtime: Runtime) -> Principal:
    """The console surface's resolver: the principal of the session cookie, checked afresh on every page, so
    a revoked key or a changed admin token ends its sessions at once."""
    token = request.cookies.get(SESSION_COOKIE)
    session = runtime.console_sessions().find(token) if token else None
    if session is None or token is None:
        raise SignInRequiredError("Sign in to use the console.")
    request.state.console_token = token
    if session.kind == "admin":
        if session.admin_token_hash is None or not hmac.compare_digest(
            session.admin_token_hash, runtime.admin_token_hash
        ):
            raise SignInRequiredError("The admin token has changed: sign in again.")
        return ADMIN
    if session.key_id is None:
        raise SignInRequiredError("Sign in to use the console.")
    try:
        return _checked(runtime.ledger.principal_of_key(session.key_id))
    except InvalidApiTokenError:
        raise SignInRequiredError("The key of this session was revoked: sign in again.") from None


def session_csrf_token(request: Request) -> str:
    """The session's form token: derived from the session's secret, so nothing more is stored."""
    token: str = request.state.console_token
    return hmac.new(token.encode(), b"console-forms", hashlib.sha256).hexdigest()


def check_session_csrf(request: Request, presented: str | None) -> None:
    if presented is None or not hmac.compare_digest(presented, session_csrf_token(request)):
        raise CsrfTokenError("The form has expired or did not come from the console: reload and try again.")


def sign_in_csrf_token(request: Request) -> str:
    """The sign-in form's token, kept in a cookie of its own until a session exists (double submit)."""
    return request.cookies.get(SIGN_IN_CSRF_COOKIE) or secrets.token_urlsafe(32)


def check_sign_in_csrf(request: Request, presented: str | None) -> None:
    expected = request.cookies.get(SIGN_IN_CSRF_COOKIE)
    if not presented or not expected or not hmac.compare_digest(presented, expected):
        raise CsrfTokenError("The sign-in form has expired or did not come from the console: reload it.")


def set_cookie(response: Response, name: str, value: str, max_age: int, secure: bool) -> None:
    response.set_cookie(
        name, value, max_age=max_age, path=COOKIE_PATH, secure=secure, httponly=True, samesite="strict"
    )
