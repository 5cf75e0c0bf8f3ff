"""Credentials in query strings: found by name, refused by the API; they and personal values stay out of the
access log."""

from __future__ import annotations

import logging
from urllib.parse import parse_qsl, unquote_plus

# Names compared without case, "-", "_" or ".": api_key, X-Api-Key and apiKey are one name.
REFUSED_NAMES = frozenset(
    {
        "apikey",
        "xapikey",
        "key",
        "token",
        "accesstoken",
        "refreshtoken",
        "idtoken",
        "authtoken",
        "apitoken",
        "admintoken",
        "bearer",
        "auth",
        "authorization",
        "clientsecret",
        "secret",
        "password",
    }
)
# The log redacts more: anything that ends like a credential, even where the API would not refuse it.
REDACTED_ENDINGS = ("token", "secret", "password", "apikey", "passwd")
# Personal data stays out of the log as well: a filter on an email, a name or an address (by the parameter's
# name), or any value that holds an email address.
PERSONAL_NAME_PARTS = ("email", "name", "phone", "mobile", "address", "street", "postcode", "zip", "birth")
REDACTED = "[redacted]"
ACCESS_LOGGER = "uvicorn.access"


def _normal(name: str) -> str:
    return "".join(char for char in name.lower() if char not in "-_. ")


def refused_names(query_string: str) -> list[str]:
    """The parameters of a query string that carry a credential, which belongs in a header."""
    names = {name for name, _ in parse_qsl(query_string, keep_blank_values=True)}
    return sorted(name for name in names if _normal(name) in REFUSED_NAMES)


def is_redacted_name(name: str) -> bool:
    normal = _normal(name)
    return normal in REFUSED_NAMES or normal.endswith(REDACTED_ENDINGS)


def is_personal(name: str, value: str) -> bool:
    normal = _normal(name)
    return any(part in normal for part in PERSONAL_NAME_PARTS) or "@" in value


def redact_target(target: str) -> str:
    """A request target (path and query) with the value of every credential-like or personal parameter
    replaced."""
    path, mark, query = target.partition("?")
    if not mark:
        return target
    pairs = []
    for pair in query.split("&"):
        raw_name, equals, raw_value = pair.partition("=")
        name, value = unquote_plus(raw_name), unquote_plus(raw_value)
        hidden = is_redacted_name(name) or is_personal(name, value)
        pairs.append(f"{raw_name}={REDACTED}" if equals and hidden else pair)
    return f"{path}?{'&'.join(pairs)}"


class CredentialRedactingFilter(logging.Filter):
    """Rewrites a log record's request targets: no credential-like or personal query value is logged."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(
                redact_target(arg) if isinstance(arg, str) and "?" in arg else arg for arg in record.args
            )
        return True


def redact_access_log() -> None:
    """Install the filter on the server's access logger, once per process."""
    logger = logging.getLogger(ACCESS_LOGGER)
    if not any(isinstance(existing, CredentialRedactingFilter) for existing in logger.filters):
        logger.addFilter(CredentialRedactingFilter())
