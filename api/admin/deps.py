"""Dependencies of the admin surface: the admin token's resolver and the admin's command context."""

import hmac
from typing import Annotated

from fastapi import Depends, Request

from api.shared.auth import authenticated, client_address, failures_limited, limits_of, presented_token
from api.shared.deps import RuntimeDep, context_of
from api.shared.problems import AdminTokenRequiredError, MissingApiTokenError
from domain.context import ADMIN, Principal, RequestContext
from ledger.runtime import hash_token


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
