"""Credentials in query strings: found by name, refused by the API, and kept out of the access log."""

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


def redact_target(target: str) -> str:
    """A request target (path and query) with the value of every credential-like parameter replaced."""
    path, mark, query = target.partition("?")
    if not mark:
        return target
    pairs = []
    for pair in query.split("&"):
        name, equals, _ = pair.partition("=")
        pairs.append(f"{name}={REDACTED}" if equals and is_redacted_name(unquote_plus(name)) else pair)
    return f"{path}?{'&'.join(pairs)}"


class CredentialRedactingFilter(logging.Filter):
    """Rewrites a log record's request targets so that no credential-like query parameter is logged."""

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
