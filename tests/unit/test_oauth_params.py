"""A token request's parameters and client credentials, read from forms, JSON and HTTP Basic."""

from __future__ import annotations

import base64

import pytest

from api.oauth.errors import InvalidClientError, InvalidTokenRequestError
from api.oauth.params import client_credentials, token_parameters

FORM = "application/x-www-form-urlencoded"


def basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b"grant_type=client_credentials&client_id=c1&other=x", FORM),
        (b'{"grant_type": "client_credentials", "client_id": "c1", "other": [1]}', "application/json"),
        (b"grant_type=client_credentials&client_id=c1", "application/json"),
        (b'{"grant_type": "client_credentials", "client_id": "c1"}', ""),
        (b"grant_type=client_credentials&client_id=c1", "application/x-www-form-urlencoded; charset=utf-8"),
    ],
    ids=["form", "json", "form-labelled-json", "json-unlabelled", "form-with-charset"],
)
def test_known_parameters_are_read_from_any_accepted_body_and_others_ignored(
    body: bytes, content_type: str
) -> None:
    assert token_parameters(body, content_type) == {"grant_type": "client_credentials", "client_id": "c1"}


def test_only_the_top_level_object_of_a_json_body_counts() -> None:
    body = b'{"grant_type": "client_credentials", "extra": {"client_id": "nested"}}'

    assert token_parameters(body, "application/json") == {"grant_type": "client_credentials"}


def test_a_repeated_parameter_is_refused_but_a_repeated_unknown_one_is_ignored() -> None:
    assert token_parameters(b"x=1&x=2&grant_type=a", FORM) == {"grant_type": "a"}
    with pytest.raises(InvalidTokenRequestError, match="more than once"):
        token_parameters(b"grant_type=a&grant_type=a", FORM)


def test_body_credentials_are_used_without_basic_and_a_stray_bearer_header_is_ignored() -> None:
    parameters = {"client_id": "c1", "client_secret": "s1"}

    found = client_credentials("Bearer eyJhbGc... https://api.example.com/app/v3/", parameters)

    assert (found.client_id, found.client_secret, found.basic) == ("c1", "s1", False)


def test_basic_credentials_are_form_decoded() -> None:
    found = client_credentials(basic("c%3A1", "s+%2B1"), {})

    assert (found.client_id, found.client_secret, found.basic) == ("c:1", "s +1", True)


def test_basic_may_repeat_the_body_client_id_but_not_contradict_it() -> None:
    assert client_credentials(basic("c1", "s1"), {"client_id": "c1"}).client_id == "c1"
    with pytest.raises(InvalidTokenRequestError):
        client_credentials(basic("c1", "s1"), {"client_id": "c2"})


def test_an_empty_secret_counts_as_none() -> None:
    assert client_credentials("", {"client_id": "c1", "client_secret": ""}).client_secret is None
    assert client_credentials(basic("c1", ""), {}).client_secret is None


def test_basic_credentials_without_a_client_id_are_refused() -> None:
    with pytest.raises(InvalidClientError):
        client_credentials(basic("", "s1"), {})
