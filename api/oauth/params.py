"""A token request's parameters: from a form or a JSON body, and the client's credentials, from either."""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, unquote_plus

from api.oauth.errors import InvalidClientError, InvalidTokenRequestError

PARAMETERS = ("grant_type", "client_id", "client_secret", "refresh_token", "organization_id", "scope")
"""The parameters the endpoint reads; RFC 6749 section 3.2 has it ignore any other."""
FORM = "application/x-www-form-urlencoded"
MAX_FIELDS = 64
MAX_VALUE_LENGTH = 8192


@dataclass(frozen=True)
class ClientCredentials:
    """Who the request says it comes from, and whether it said so with HTTP Basic."""

    client_id: str | None
    client_secret: str | None
    basic: bool


def token_parameters(body: bytes, content_type: str) -> dict[str, str]:
    """The known parameters of a form or JSON body.

    A JSON content type with a body that is not a JSON object is read as a form: the seed's own curl examples
    send form parameters labelled `application/json`.
    """
    media = content_type.partition(";")[0].strip().lower()
    is_json = media == "application/json" or media.endswith("+json")
    if media not in ("", FORM) and not is_json:
        raise InvalidTokenRequestError(f"Send the parameters as {FORM} or application/json, not {media}.")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidTokenRequestError("The request body is not UTF-8.") from None
    parsed = _json_object(text) if text.lstrip().startswith("{") else _form(text)
    return _known(parsed)


def _form(text: str) -> list[tuple[str, Any]]:
    try:
        return parse_qsl(text, keep_blank_values=True, max_num_fields=MAX_FIELDS)
    except ValueError:
        raise InvalidTokenRequestError(f"The form has more than {MAX_FIELDS} fields.") from None


def _json_object(text: str) -> list[tuple[str, Any]]:
    pairs: list[tuple[str, Any]] = []

    def keep_top_level(items: list[tuple[str, Any]]) -> dict[str, Any]:
        pairs[:] = items  # the outermost object is decoded last
        return dict(items)

    try:
        json.loads(text, object_pairs_hook=keep_top_level)
    except (ValueError, RecursionError):
        raise InvalidTokenRequestError("The request body is not valid JSON.") from None
    return pairs


def _known(pairs: list[tuple[str, Any]]) -> dict[str, str]:
    found: dict[str, str] = {}
    for name, value in pairs:
        if name not in PARAMETERS:
            continue
        if name in found:
            raise InvalidTokenRequestError(f"The parameter {name} is given more than once.")
        if not isinstance(value, str):
            raise InvalidTokenRequestError(f"The parameter {name} must be a string.")
        if len(value) > MAX_VALUE_LENGTH:
            raise InvalidTokenRequestError(f"The parameter {name} is too long.")
        found[name] = value
    return found


def client_credentials(authorization: str, parameters: dict[str, str]) -> ClientCredentials:
    """The client's id and secret, from `Authorization: Basic` or the body, never from both.

    An empty `client_secret` counts as none (the seed's public clients send it empty). Other authorization
    schemes are ignored: the seed's examples send a stray bearer header to the token endpoint.
    """
    scheme, _, encoded = authorization.strip().partition(" ")
    body_id = parameters.get("client_id") or None
    body_secret = parameters.get("client_secret") or None
    if scheme.lower() != "basic":
        return ClientCredentials(body_id, body_secret, basic=False)
    basic_id, basic_secret = _basic(encoded.strip())
    if body_secret is not None:
        raise InvalidTokenRequestError("Send the client secret with Basic or in the body, not both.")
    if body_id is not None and body_id != basic_id:
        raise InvalidTokenRequestError("The client_id in the body is not the one in the Basic credentials.")
    return ClientCredentials(basic_id, basic_secret or None, basic=True)


def _basic(encoded: str) -> tuple[str, str]:
    try:
        decoded = base64.b64decode(encoded, validate=True).decode("utf-8")
    except (binascii.Error, ValueError):
        raise InvalidClientError("The Basic credentials are not base64 of client_id:client_secret.") from None
    client_id, separator, secret = decoded.partition(":")
    if not separator or not client_id:
        raise InvalidClientError("The Basic credentials are not client_id:client_secret.")
    # RFC 6749 section 2.3.1: both are form-encoded before they are joined.
    return unquote_plus(client_id), unquote_plus(secret)
