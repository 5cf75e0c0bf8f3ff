"""The module API surface: `/module/v3/{locale}/organization/{organizationId}/...`, OAuth access tokens,
the seed's `messageList` errors in the path's language."""

from __future__ import annotations

from dataclasses import replace

from fastapi.responses import JSONResponse
from starlette.types import Scope

from api.module_api.errors import (
    MODULE_FORMAT,
    MODULE_TYPES,
    InvalidLocaleError,
    InvalidPathIdError,
    OrganizationNotPermittedError,
    render_messages,
)
from api.module_api.messages import language_of_path, message_in
from api.oauth import ACCESS_TOKEN_ERRORS, oauth_access_principal
from api.shared.errors import REQUEST_ERRORS, Problem
from api.shared.problems import ScopePermissionDeniedError
from api.shared.surface import Surface
from domain.errors import LedgerError


def fields_of(error: LedgerError) -> list[str]:
    """The fields a domain error names in its details (`field` or `fields`)."""
    details = error.details
    named = details.get("fields") or ([details["field"]] if "field" in details else [])
    return [str(name) for name in named] if isinstance(named, list | tuple) else []


class ModuleSurface(Surface):
    """A surface whose errors are written in the language of the path's locale."""

    def problem_for(self, error: LedgerError) -> Problem:
        problem = super().problem_for(error)
        fields = fields_of(error)
        if problem.issues is None and fields:
            # Issues without a message of their own name the fields only, for the translated message.
            problem = replace(problem, issues=[{"path": [name]} for name in fields])
        return problem

    def response(self, problem: Problem, scope: Scope) -> JSONResponse:
        message = message_in(problem, language_of_path(scope.get("path", "")))
        return JSONResponse(
            render_messages(problem, message), status_code=problem.status, headers=problem.headers
        )


SURFACE = ModuleSurface(
    name="module-api",
    errors=MODULE_TYPES,
    format=MODULE_FORMAT,
    auth=oauth_access_principal,
    common=(
        *REQUEST_ERRORS,
        *ACCESS_TOKEN_ERRORS,
        ScopePermissionDeniedError,
        InvalidLocaleError,
        InvalidPathIdError,
        OrganizationNotPermittedError,
    ),
    paths=("/module/",),
)
