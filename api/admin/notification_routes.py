"""Router of the admin API's notification rules: a client's rules, added, listed, replaced and removed."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import Response

from api.admin.deps import Admin, admin_body
from api.admin.surface import SURFACE, with_body
from domain.client import ClientNotFoundError
from domain.notification_rules import (
    EmailNotConfiguredError,
    InvalidNotificationRuleError,
    NotificationRuleNotFoundError,
    TooManyNotificationRulesError,
)
from ledger.admin.notification_rules import (
    NotificationRuleIn,
    NotificationRuleList,
    NotificationRuleOut,
    add_rule,
    change_rule,
    get_rule,
    list_rules,
)

router = SURFACE.router(prefix="/api/v1/admin/clients/{clientId}/notification-rules", tags=["admin"])
RuleBody = Annotated[NotificationRuleIn, admin_body(NotificationRuleIn)]
TERMS_ERRORS = (InvalidNotificationRuleError, EmailNotConfiguredError)


@router.post(
    "",
    status_code=201,
    **with_body(NotificationRuleIn, ClientNotFoundError, TooManyNotificationRulesError, *TERMS_ERRORS),
)
def add_notification_rule(clientId: UUID, body: RuleBody, admin: Admin) -> NotificationRuleOut:
    """A rule for the bookings placed through the client: on a moment of their lifecycle, or a number of
    minutes before they start, notify the athlete, the coach or both, by webhook or by email."""
    return add_rule(admin.ledger, admin.ctx, clientId, body)


@router.get("", responses=SURFACE.responses(ClientNotFoundError))
def list_notification_rules(clientId: UUID, admin: Admin) -> NotificationRuleList:
    """The client's rules in the order they were added."""
    return list_rules(admin.ledger, clientId)


@router.get("/{ruleId}", responses=SURFACE.responses(NotificationRuleNotFoundError))
def get_notification_rule(clientId: UUID, ruleId: UUID, admin: Admin) -> NotificationRuleOut:
    return get_rule(admin.ledger, clientId, ruleId)


@router.put("/{ruleId}", **with_body(NotificationRuleIn, NotificationRuleNotFoundError, *TERMS_ERRORS))
def replace_notification_rule(
    clientId: UUID, ruleId: UUID, body: RuleBody, admin: Admin
) -> NotificationRuleOut:
    """Replace the rule's terms; moments from now on are notified under them."""
    return change_rule(admin.ledger, admin.ctx, clientId, ruleId, body)


@router.delete(
    "/{ruleId}",
    status_code=204,
    response_class=Response,
    responses=SURFACE.responses(NotificationRuleNotFoundError),
)
def remove_notification_rule(clientId: UUID, ruleId: UUID, admin: Admin) -> Response:
    """Remove the rule; what it queued and was not sent yet is dropped."""
    admin.ledger.remove_notification_rule(admin.ctx, clientId, ruleId)
    return Response(status_code=204)
