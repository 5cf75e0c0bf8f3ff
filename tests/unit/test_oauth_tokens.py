"""OAuth tokens made and checked with PyJWT, their lifetimes on a given clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import UUID

import jwt
import pytest

from api.oauth.tokens import issue_token, verify_token
from domain.errors import LedgerError
from ledger.oauth_keys import parse_signing_keys

KEYS = parse_signing_keys(f"k1:{'a' * 40}")
CLIENT, ORGANIZATION = UUID(int=1), UUID(int=2)
NOW = datetime(2031, 5, 1, 12, 0, tzinfo=UTC)


class RefusedError(LedgerError):
    """Raised when a test's token is refused."""


def test_an_access_token_verifies_with_its_client_generation_and_organization() -> None:
    token = issue_token(KEYS, "access", CLIENT, 3, NOW, ORGANIZATION)

    claims = verify_token(KEYS, token, "access", NOW + timedelta(seconds=299), RefusedError)

    assert (claims.client_id, claims.generation, claims.organization_id) == (CLIENT, 3, ORGANIZATION)


@pytest.mark.parametrize(("use", "lifetime"), [("refresh", 1800), ("access", 300)])
def test_a_token_expires_after_its_lifetime_on_the_given_clock(use: str, lifetime: int) -> None:
    token = issue_token(KEYS, use, CLIENT, 0, NOW, ORGANIZATION)  # type: ignore[arg-type]

    with pytest.raises(RefusedError, match="expired"):
        verify_token(KEYS, token, use, NOW + timedelta(seconds=lifetime), RefusedError)  # type: ignore[arg-type]


def test_a_token_of_one_use_is_refused_for_the_other() -> None:
    token = issue_token(KEYS, "refresh", CLIENT, 0, NOW)

    with pytest.raises(RefusedError):
        verify_token(KEYS, token, "access", NOW, RefusedError)


def test_a_token_issued_in_the_future_is_refused() -> None:
    token = issue_token(KEYS, "refresh", CLIENT, 0, NOW + timedelta(minutes=5))

    with pytest.raises(RefusedError, match="future"):
        verify_token(KEYS, token, "refresh", NOW, RefusedError)


def test_a_token_signed_under_an_unknown_kid_or_with_no_algorithm_is_refused() -> None:
    claims = jwt.decode(issue_token(KEYS, "refresh", CLIENT, 0, NOW), options={"verify_signature": False})
    unknown = jwt.encode(claims, "b" * 40, algorithm="HS256", headers={"kid": "k2"})
    unsigned = jwt.encode(claims, "", algorithm="none", headers={"kid": "k1"})

    for token in (unknown, unsigned):
        with pytest.raises(RefusedError):
            verify_token(KEYS, token, "refresh", NOW, RefusedError)


@pytest.mark.parametrize("claim", ["gen", "iat", "exp"])
def test_a_token_with_a_claim_of_the_wrong_type_is_refused(claim: str) -> None:
    claims = jwt.decode(issue_token(KEYS, "refresh", CLIENT, 0, NOW), options={"verify_signature": False})
    claims[claim] = str(claims[claim])
    token = jwt.encode(claims, KEYS.signing_secret, algorithm="HS256", headers={"kid": "k1"})

    with pytest.raises(RefusedError):
        verify_token(KEYS, token, "refresh", NOW, RefusedError)
