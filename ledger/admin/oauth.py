"""Admin operations of OAuth clients: issuing a client's OAuth secret, and revoking a client."""

from __future__ import annotations

from uuid import UUID

from pydantic import BaseModel, Field

from domain.application import Ledger
from domain.context import RequestContext
from ledger.admin.responses import ClientOut


class OAuthSecretOut(BaseModel):
    """A new OAuth secret: shown only in this response, stored only as a hash."""

    clientSecret: str = Field(description="Send it as client_secret, or with HTTP Basic, to /oauth/token.")


def issue_oauth_secret(ledger: Ledger, ctx: RequestContext, client_id: UUID) -> OAuthSecretOut:
    """Make the client confidential with a new secret; an earlier secret and its tokens stop working."""
    return OAuthSecretOut(clientSecret=ledger.issue_oauth_secret(ctx, client_id).value)


def revoke_client(ledger: Ledger, ctx: RequestContext, client_id: UUID) -> ClientOut:
    """Revoke the client with its API keys and OAuth tokens; the client as it now is."""
    return ClientOut.of(ledger.revoke_client(ctx, client_id).value)
