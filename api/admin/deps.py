"""Dependencies of the admin surface: the admin token's resolver, the admin's call and its JSON bodies."""

import hmac
from dataclasses import dataclass
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Request
from pydantic import BaseModel

from api.shared.auth import authenticated, client_address, failures_limited, limits_of, presented_token
from api.shared.deps import RuntimeDep, context_of, json_body
from api.shared.problems import AdminTokenRequiredError, MissingApiTokenError
from domain.application import Ledger
from domain.context import ADMIN, Principal, RequestContext
from ledger.runtime import hash_token

M = TypeVar("M", bound=BaseModel)


def require_admin(request: Request, runtime: RuntimeDep) -> Principal:
    """The admin, for the admin token; admin calls are rate-limited per address like failed tokens."""
    token = presented_token(request)
    if token is None:
        raise MissingApiTokenError("No admin token was provided.")

    def check() -> Principal:
        if not hmac.compare_digest(hash_token(token), runtime.admin_token_hash):
            raise AdminTokenRequiredError("The admin token is invalid.")
        return ADMIN

    principal = failures_limited(request, check)
    limits_of(request).admin.check(client_address(request))
    return principal


admin_context = context_of(authenticated)
AdminContext = Annotated[RequestContext, Depends(admin_context)]


@dataclass(frozen=True)
class AdminCall:
    """A call admitted with the admin token: the ledger it works on and its command context."""

    ledger: Ledger
    ctx: RequestContext


def admin_call(runtime: RuntimeDep, ctx: AdminContext) -> AdminCall:
    return AdminCall(runtime.ledger, ctx)


Admin = Annotated[AdminCall, Depends(admin_call)]


def admin_body(model: type[M]) -> Any:
    """The dependency that parses the JSON body as `model`, once the admin token has been checked."""
    return Depends(json_body(model, admin_context))
