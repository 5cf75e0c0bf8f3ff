"""Router of the admin API's OAuth side: a client's OAuth secret, and revoking a client."""

from __future__ import annotations

from uuid import UUID

from api.admin.deps import Admin
from api.admin.surface import SURFACE
from api.shared.deps import CarriesSecret
from api.shared.problems import PayloadTooLargeError
from domain.client import ClientNotFoundError, ClientRevokedError
from ledger.admin import oauth
from ledger.admin.oauth import OAuthSecretOut
from ledger.admin.responses import ClientOut

router = SURFACE.router(prefix="/api/v1/admin", tags=["admin"])


@router.post(
    "/clients/{clientId}/oauth-secret",
    status_code=201,
    responses=SURFACE.responses(ClientNotFoundError, ClientRevokedError, PayloadTooLargeError),
    dependencies=[CarriesSecret],
)
def issue_oauth_secret(clientId: UUID, admin: Admin) -> OAuthSecretOut:
    """Give the client an OAuth secret, shown only in this response and stored only as a hash.

    A client without one is a public OAuth client. A new secret replaces the earlier one, and the tokens
    issued before it stop working.
    """
    return oauth.issue_oauth_secret(admin.ledger, admin.ctx, clientId)


@router.post("/clients/{clientId}/revoke", responses=SURFACE.responses(ClientNotFoundError))
def revoke_client(clientId: UUID, admin: Admin) -> ClientOut:
    """Revoke the client: its API keys are revoked with it and its OAuth tokens stop working."""
    return oauth.revoke_client(admin.ledger, admin.ctx, clientId)
