"""OAuth tokens as JWTs, made and checked by PyJWT; lifetimes are measured on the ledger's own clock."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal
from uuid import UUID

import jwt

from domain.errors import LedgerError
from ledger.oauth_keys import KeyRing

TokenUse = Literal["refresh", "access"]
ISSUER = "booking-ledger"
AUDIENCES: dict[TokenUse, str] = {
    "refresh": "booking-ledger/oauth/token",
    "access": "booking-ledger/module-api",
}
LIFETIMES: dict[TokenUse, int] = {"refresh": 1800, "access": 300}
ALGORITHM = "HS256"
MAX_TOKEN_LENGTH = 4096
CLOCK_SKEW_SECONDS = 30
"""How far in the future a token's `iat` may lie: processes' clocks differ a little."""
REQUIRED = ["iss", "sub", "aud", "iat", "exp", "jti", "token_use", "gen"]
# Expiry is checked against the ledger's injected clock below; PyJWT reads the wall clock, so its own iat and
# nbf checks are off (a token issued while a test's clock runs ahead would look issued in the future).
DECODE_OPTIONS: dict[str, Any] = {
    "require": REQUIRED,
    "verify_iat": False,
    "verify_nbf": False,
    "enforce_minimum_key_length": True,
}


@dataclass(frozen=True)
class Claims:
    """What a verified token says: its client, the secret generation it was issued under, its organization."""

    client_id: UUID
    generation: int
    organization_id: UUID | None
    expires_at: int


def issue_token(
    keys: KeyRing,
    use: TokenUse,
    client_id: UUID,
    generation: int,
    now: datetime,
    organization_id: UUID | None = None,
) -> str:
    """A signed token of `use` for the client, valid from `now` for that use's lifetime."""
    issued_at = int(now.timestamp())
    claims: dict[str, Any] = {
        "iss": ISSUER,
        "sub": str(client_id),
        "aud": AUDIENCES[use],
        "iat": issued_at,
        "exp": issued_at + LIFETIMES[use],
        "jti": uuid.uuid4().hex,
        "token_use": use,
        "gen": generation,
    }
    if organization_id is not None:
        claims["organization_id"] = str(organization_id)
    headers = {"kid": keys.signing_kid, "typ": "JWT"}
    return jwt.encode(claims, keys.signing_secret, algorithm=ALGORITHM, headers=headers)


def verify_token(
    keys: KeyRing, token: str, use: TokenUse, now: datetime, refused: type[LedgerError]
) -> Claims:
    """The claims of a token of `use` that one of `keys` signed and that has not expired at `now`.

    Anything else raises `refused`, saying why without quoting the token.
    """
    if len(token) > MAX_TOKEN_LENGTH:
        raise refused("The token is too long to be one of ours.")
    try:
        secret = keys.secret_of(jwt.get_unverified_header(token).get("kid"))
        if secret is None:
            raise refused("The token was signed by a key this server does not know.")
        payload = jwt.decode(
            token,
            secret,
            algorithms=[ALGORITHM],
            audience=AUDIENCES[use],
            issuer=ISSUER,
            options=DECODE_OPTIONS,  # type: ignore[arg-type]
        )
    except jwt.ExpiredSignatureError:
        raise refused("The token has expired.") from None
    except (jwt.PyJWTError, ValueError, TypeError):
        raise refused(f"The token is not a valid {use} token.") from None
    return _checked_claims(payload, use, now, refused)


def _checked_claims(
    payload: dict[str, Any], use: TokenUse, now: datetime, refused: type[LedgerError]
) -> Claims:
    issued_at, expires_at, generation = payload["iat"], payload["exp"], payload["gen"]
    numbers = (issued_at, expires_at, generation)
    if payload["token_use"] != use or not all(type(value) is int for value in numbers):
        raise refused(f"The token is not a valid {use} token.")
    moment = now.timestamp()
    if expires_at <= moment:
        raise refused("The token has expired.")
    if issued_at > moment + CLOCK_SKEW_SECONDS:
        raise refused("The token was issued in the future.")
    try:
        client_id = UUID(payload["sub"])
        organization = payload.get("organization_id")
        organization_id = UUID(organization) if use == "access" else None
    except (TypeError, ValueError, AttributeError):
        raise refused(f"The token is not a valid {use} token.") from None
    return Claims(client_id, generation, organization_id, expires_at)
