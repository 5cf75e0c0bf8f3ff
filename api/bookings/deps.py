"""Dependencies of the bookings-and-orders surface: the caller, its acting user, idempotent POSTs."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated
from uuid import UUID

from fastapi import Depends, Request
from starlette.responses import Response

from api.bookings.errors import ActingUserRequiredError, InvalidTraceparentError
from api.bookings.surface import SURFACE
from api.shared.auth import require_scope
from api.shared.deps import RuntimeDep
from api.shared.idempotency import IdempotencyStore
from domain.context import Principal, RequestContext
from domain.court_booking import UserAccessDeniedError
from domain.errors import InvalidInputError, LedgerError
from ledger.runtime import Runtime

ACTING_USER_HEADER = "x-current-user-id"
MAX_IDEMPOTENCY_KEY = 255


@dataclass(frozen=True)
class Caller:
    """The command context, and the user the client acts for (None only for admin clients and callbacks)."""

    ctx: RequestContext

    @property
    def acting_user_id(self) -> UUID | None:
        return self.ctx.acting_user_id

    @property
    def client_id(self) -> UUID | None:
        return self.ctx.principal.client_id

    @property
    def is_system(self) -> bool:
        return self.ctx.principal.has_scope("admin")

    def visible_client(self) -> UUID | None:
        """The client whose records the caller sees; None (all) for admin clients."""
        return None if self.is_system else self.client_id


def caller_with(scope: str, acting_user_required: bool = True) -> Callable[..., Caller]:
    """A dependency admitting clients with `scope`, acting for a user linked to them."""

    def dependency(
        request: Request, runtime: RuntimeDep, principal: Annotated[Principal, Depends(require_scope(scope))]
    ) -> Caller:
        if request.state.traceparent_received and not request.state.traceparent_valid:
            raise InvalidTraceparentError("traceparent does not match the W3C trace-context format.")
        acting_user_id = _acting_user(request, runtime.ledger.can_act_for, principal)
        if acting_user_id is None and acting_user_required and not principal.has_scope("admin"):
            raise ActingUserRequiredError(f"The {ACTING_USER_HEADER} header is required.")
        ctx = RequestContext(
            principal,
            runtime.clock(),
            request.state.request_id,
            request.state.trace_id,
            acting_user_id=acting_user_id,
        )
        return Caller(ctx)

    return dependency


order_writer = caller_with("orders:write")
payment_provider = caller_with("orders:write", acting_user_required=False)
booking_writer = caller_with("bookings:write")
reader = caller_with("bookings:read")
OrderWriter = Annotated[Caller, Depends(order_writer)]
PaymentProvider = Annotated[Caller, Depends(payment_provider)]
BookingWriter = Annotated[Caller, Depends(booking_writer)]
Reader = Annotated[Caller, Depends(reader)]


def _acting_user(
    request: Request, can_act_for: Callable[[Principal, UUID], bool], principal: Principal
) -> UUID | None:
    raw = request.headers.get(ACTING_USER_HEADER)
    if raw is None:
        return None
    try:
        user_id = UUID(raw)
    except ValueError:
        raise ActingUserRequiredError(f"{ACTING_USER_HEADER} must be a UUID.") from None
    if not can_act_for(principal, user_id):
        raise UserAccessDeniedError("The acting user is not linked to this client.")
    return user_id


def check_user_visible(caller: Caller, runtime: Runtime, user_id: UUID) -> None:
    if not runtime.ledger.can_see_user(caller.ctx.principal, user_id):
        raise UserAccessDeniedError("The user is not linked to this client.")


def idempotency_key(request: Request) -> str | None:
    key = request.headers.get("idempotency-key")
    if key is not None and not 1 <= len(key) <= MAX_IDEMPOTENCY_KEY:
        raise InvalidInputError(f"Idempotency-Key has 1 to {MAX_IDEMPOTENCY_KEY} characters.")
    return key


def run_idempotent(request: Request, caller: Caller, handle: Callable[[], Response]) -> Response:
    """Answer a POST once per Idempotency-Key: the first response, errors included, is replayed to retries."""
    key = idempotency_key(request)
    if key is None:
        return handle()
    store: IdempotencyStore = request.app.state.idempotency

    def respond() -> Response:
        try:
            return handle()
        except LedgerError as error:
            return SURFACE.error_response(request.scope, error)

    fingerprint = store.fingerprint(
        request.method, request.url.path, request.state.body, str(caller.acting_user_id)
    )
    return store.run(str(caller.client_id or caller.ctx.principal.id), key, fingerprint, respond)
