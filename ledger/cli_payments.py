"""`ledger admin set-payment-account` and `get-payment-account`: a venue's connected payment account."""

from __future__ import annotations

from typing import Any

from ledger.admin.payment_accounts import PaymentAccountIn, get_payment_account, set_payment_account
from ledger.admin.requests import request_body
from ledger.cli_booking_rules import Operation

PAYMENT_OPERATIONS: dict[str, Operation] = {
    "set-payment-account": lambda args, ledger, ctx: set_payment_account(
        ledger,
        ctx,
        args.venue_id,
        request_body(PaymentAccountIn, stripeAccountId=args.stripe_account_id or None),
    ),
    "get-payment-account": lambda args, ledger, _: get_payment_account(ledger, args.venue_id),
}


def add_payment_parsers(ops: Any) -> None:
    p = ops.add_parser(
        "set-payment-account", help="set the Stripe connected account of a venue; an empty value clears it"
    )
    p.add_argument("--venue-id", required=True, help="the venue's UUID or its number")
    p.add_argument(
        "--stripe-account-id", required=True, help="acct_..., or empty to take online payment away"
    )
    p = ops.add_parser(
        "get-payment-account", help="a venue's connected account and whether it is paid online"
    )
    p.add_argument("--venue-id", required=True, help="the venue's UUID or its number")
