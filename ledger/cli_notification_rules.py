"""`ledger admin add-notification-rule` and the like: a client's notification rules, as in the admin API."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any
from uuid import UUID

from pydantic import BaseModel

from domain.application import Ledger
from domain.context import RequestContext
from domain.notification_rules import AUDIENCES, CHANNELS, TRIGGERS
from ledger.admin.notification_rules import NotificationRuleIn, add_rule, change_rule, list_rules
from ledger.admin.requests import request_body

Operation = Callable[[argparse.Namespace, Ledger, RequestContext], BaseModel | None]


def _rule_body(args: argparse.Namespace) -> NotificationRuleIn:
    return request_body(
        NotificationRuleIn,
        trigger=args.trigger,
        minutesBefore=args.minutes_before,
        audience=args.audience,
        channel=args.channel,
    )


def _remove(args: argparse.Namespace, ledger: Ledger, ctx: RequestContext) -> None:
    ledger.remove_notification_rule(ctx, args.client_id, args.rule_id)


NOTIFICATION_OPERATIONS: dict[str, Operation] = {
    "add-notification-rule": lambda args, ledger, ctx: add_rule(
        ledger, ctx, args.client_id, _rule_body(args)
    ),
    "list-notification-rules": lambda args, ledger, _: list_rules(ledger, args.client_id),
    "update-notification-rule": lambda args, ledger, ctx: change_rule(
        ledger, ctx, args.client_id, args.rule_id, _rule_body(args)
    ),
    "remove-notification-rule": _remove,
}


def _terms(parser: Any) -> None:
    parser.add_argument("--trigger", required=True, choices=TRIGGERS)
    parser.add_argument("--minutes-before", type=int, help="for the trigger before_start only")
    parser.add_argument("--audience", required=True, choices=AUDIENCES)
    parser.add_argument("--channel", required=True, choices=CHANNELS)


def add_notification_parsers(ops: Any) -> None:
    p = ops.add_parser("add-notification-rule", help="notify about the client's bookings on a trigger")
    p.add_argument("--client-id", type=UUID, required=True)
    _terms(p)
    ops.add_parser("list-notification-rules").add_argument("--client-id", type=UUID, required=True)
    p = ops.add_parser("update-notification-rule", help="replace a rule's terms")
    p.add_argument("--client-id", type=UUID, required=True)
    p.add_argument("--rule-id", type=UUID, required=True)
    _terms(p)
    p = ops.add_parser("remove-notification-rule")
    p.add_argument("--client-id", type=UUID, required=True)
    p.add_argument("--rule-id", type=UUID, required=True)
