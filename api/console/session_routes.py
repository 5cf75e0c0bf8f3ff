"""Signing in and out of the console, its start page, and its own assets."""

from __future__ import annotations

from functools import cache
from importlib.resources import files

from fastapi import Request, Response
from fastapi.responses import RedirectResponse

from api.console.auth import (
    SESSION_COOKIE,
    SIGN_IN_CSRF_COOKIE,
    check_session_csrf,
    check_sign_in_csrf,
    session_for_key,
    set_cookie,
    sign_in_csrf_token,
)
from api.console.calendar_grid import grid_stylesheet
from api.console.deps import Form, Viewer
from api.console.errors import ConsoleAssetNotFoundError, ConsoleScopeError
from api.console.rendering import SECURITY_HEADERS, render_page
from api.console.surface import SURFACE
from api.shared.auth import failures_limited
from api.shared.deps import RuntimeDep
from domain.client import InvalidApiTokenError
from ledger.console_sessions import ConsoleSession

router = SURFACE.router(include_in_schema=False)
SIGN_IN_FORM_SECONDS = 3600
ASSETS = {"console.css": "text/css", "console.js": "text/javascript"}


@router.get("")
def start(viewer: Viewer) -> RedirectResponse:
    return RedirectResponse("/console/calendar", status_code=303)


@router.get("/sign-in")
def sign_in_form(request: Request, runtime: RuntimeDep) -> Response:
    return _sign_in_page(request, runtime, None, 200)


def _sign_in_page(request: Request, runtime: RuntimeDep, message: str | None, status: int) -> Response:
    csrf = sign_in_csrf_token(request)
    response = render_page("sign_in.html", status=status, csrf=csrf, message=message, principal=None)
    secure = runtime.settings.console_secure_cookie
    set_cookie(response, SIGN_IN_CSRF_COOKIE, csrf, SIGN_IN_FORM_SECONDS, secure)
    return response


@router.post("/sign-in")
def sign_in(request: Request, runtime: RuntimeDep, form: Form) -> Response:
    check_sign_in_csrf(request, form.get("csrf"))
    key = form.get("key", "").strip()
    try:
        session = failures_limited(request, lambda: _session(runtime, key))
    except InvalidApiTokenError:
        return _sign_in_page(request, runtime, "The key is not valid, or it was revoked.", 401)
    except ConsoleScopeError as error:
        return _sign_in_page(request, runtime, error.message, 403)
    token = runtime.console_sessions().open(session)
    response = RedirectResponse("/console/calendar", status_code=303)
    max_age = int(runtime.settings.console_session_hours * 3600)
    set_cookie(response, SESSION_COOKIE, token, max_age, runtime.settings.console_secure_cookie)
    response.delete_cookie(SIGN_IN_CSRF_COOKIE, path="/console")
    return response


def _session(runtime: RuntimeDep, key: str) -> ConsoleSession:
    if not key:
        raise InvalidApiTokenError("No key was entered.")
    return session_for_key(runtime, key)


@router.post("/sign-out")
def sign_out(request: Request, viewer: Viewer, runtime: RuntimeDep, form: Form) -> Response:
    check_session_csrf(request, form.get("csrf"))
    runtime.console_sessions().end(request.state.console_token)
    response = RedirectResponse("/console/sign-in", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/console")
    return response


@cache
def _asset(name: str) -> bytes:
    if name == "grid.css":
        return grid_stylesheet().encode()
    return files("api.console").joinpath("static", name).read_bytes()


@router.get("/static/{name}")
def asset(name: str) -> Response:
    """The console's stylesheets and script; public, as they hold nothing of anyone's."""
    media_type = "text/css" if name == "grid.css" else ASSETS.get(name)
    if media_type is None:
        raise ConsoleAssetNotFoundError("No such asset.")
    headers = {**SECURITY_HEADERS, "Cache-Control": "public, max-age=3600"}
    return Response(_asset(name), media_type=media_type, headers=headers)
