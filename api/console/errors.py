"""The console's errors: each answers as a page; a missing or ended session sends the browser to sign in."""

from __future__ import annotations

from dataclasses import replace

from fastapi.responses import RedirectResponse, Response

from api.console.rendering import render_page
from api.shared.envelope import ENVELOPE
from api.shared.errors import COMMON_TYPES, ErrorTable, Problem, RequestInfo, http_types
from api.shared.problems import ScopePermissionDeniedError
from domain.errors import AccessDeniedError, InvalidInputError, NotFoundError

SIGN_IN_PATH = "/console/sign-in"


class SignInRequiredError(AccessDeniedError):
    """Raised when a console page is asked for without a live session."""


class ConsoleScopeError(ScopePermissionDeniedError):
    """Raised when the signed-in key has neither of the console's scopes, or not the one a page needs."""


class CsrfTokenError(AccessDeniedError):
    """Raised when a form that changes something arrives without the token of the page that sent it."""


class ConsoleInputError(InvalidInputError):
    """Raised when a console page's parameter is malformed: a date, a range, an id."""


class ConsoleAssetNotFoundError(NotFoundError):
    """Raised when a console asset that does not exist is asked for."""


CONSOLE_TYPES: ErrorTable = {
    **COMMON_TYPES,
    SignInRequiredError: (401, "sign_in_required"),
    ConsoleScopeError: (403, "scope_denied"),
    CsrfTokenError: (403, "csrf_token_invalid"),
    ConsoleInputError: (400, "invalid_parameter"),
}


def respond_with_page(problem: Problem, request: RequestInfo) -> Response:
    """An error page, or for a request without a session, the way to the sign-in page."""
    if problem.status == 401:
        return RedirectResponse(SIGN_IN_PATH, status_code=303)
    response = render_page(
        "error.html",
        status=problem.status,
        title=f"{problem.status}",
        message=problem.message,
        request_id=request.request_id,
        principal=None,
    )
    response.headers.update(problem.headers)
    return response


CONSOLE_FORMAT = replace(
    ENVELOPE,
    respond=respond_with_page,
    http_types=http_types("invalid_parameter", "sign_in_required"),
)
