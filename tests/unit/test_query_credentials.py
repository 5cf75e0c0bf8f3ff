"""Credential-like query parameters: which the API refuses, and how the access log redacts them."""

from __future__ import annotations

import logging

import pytest

from api.shared.query_credentials import CredentialRedactingFilter, redact_target, refused_names


@pytest.mark.parametrize(
    ("query", "names"),
    [
        ("api_key=a", ["api_key"]),
        ("limit=1&X-Api-Key=a&token=b", ["X-Api-Key", "token"]),
        ("api%5Fkey=a", ["api_key"]),
        ("apiKey", ["apiKey"]),
        ("client_secret=&password=p", ["client_secret", "password"]),
        ("monkey=1&keys=2&cursor=abc&nextPageToken=x", []),
        ("", []),
    ],
)
def test_parameters_named_like_a_credential_are_the_refused_ones(query: str, names: list[str]) -> None:
    assert refused_names(query) == names


@pytest.mark.parametrize(
    ("target", "redacted"),
    [
        ("/path?api_key=s3cret&limit=1", "/path?api_key=[redacted]&limit=1"),
        ("/path?limit=1&access%5Ftoken=s3cret", "/path?limit=1&access%5Ftoken=[redacted]"),
        ("/path?nextPageToken=s3cret", "/path?nextPageToken=[redacted]"),
        ("/path?my_client_secret=s3cret&key=", "/path?my_client_secret=[redacted]&key=[redacted]"),
        ("/path?cursor=abc&monkey=1", "/path?cursor=abc&monkey=1"),
        ("/path", "/path"),
    ],
)
def test_the_log_shows_no_value_of_a_credential_like_parameter(target: str, redacted: str) -> None:
    assert redact_target(target) == redacted


@pytest.mark.parametrize(
    ("target", "redacted"),
    [
        ("/b?organisationId=o&userEmail=ana%40example.com", "/b?organisationId=o&userEmail=[redacted]"),
        ("/b?userName=Ana+Lopez&limit=5", "/b?userName=[redacted]&limit=5"),
        (
            "/b?phone=123&postcode=10115&dateOfBirth=2000-01-01",
            "/b?phone=[redacted]&postcode=[redacted]&dateOfBirth=[redacted]",
        ),
        ("/b?q=ana%40example.com", "/b?q=[redacted]"),
        ("/b?profileFields=Full%20Name,Email", "/b?profileFields=Full%20Name,Email"),
        ("/b?eventId=e&attending=true", "/b?eventId=e&attending=true"),
    ],
)
def test_the_log_shows_no_value_of_a_personal_parameter_nor_any_email(target: str, redacted: str) -> None:
    assert redact_target(target) == redacted


def test_the_filter_rewrites_an_access_log_records_target_and_keeps_the_record() -> None:
    record = logging.LogRecord(
        "uvicorn.access",
        logging.INFO,
        __file__,
        1,
        '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1:5000", "GET", "/x?token=s3cret", "1.1", 400),
        None,
    )

    kept = CredentialRedactingFilter().filter(record)

    assert kept
    assert record.getMessage() == '127.0.0.1:5000 - "GET /x?token=[redacted] HTTP/1.1" 400'
