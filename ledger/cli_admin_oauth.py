"""`ledger admin` commands of OAuth clients: issuing a client's OAuth secret, and revoking a client."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from ledger.admin import oauth
from ledger.cli_admin_details import Operation

OAUTH_OPERATIONS: dict[str, Operation] = {
    "create-oauth-secret": lambda args, ledger, ctx: oauth.issue_oauth_secret(ledger, ctx, args.client_id),
    "revoke-client": lambda args, ledger, ctx: oauth.revoke_client(ledger, ctx, args.client_id),
}


def add_oauth_parsers(ops: Any) -> None:
    ops.add_parser(
        "create-oauth-secret", help="give a client an OAuth secret (shown once), replacing any earlier one"
    ).add_argument("--client-id", type=UUID, required=True)
    ops.add_parser("revoke-client", help="revoke a client with its API keys and OAuth tokens").add_argument(
        "--client-id", type=UUID, required=True
    )
