"""The token endpoint's refusals: each RFC 6749 error code, where it applies, and never a 5xx."""

from __future__ import annotations

import base64
import uuid

import httpx
import pytest

from tests.api.oauth_support import TOKEN_PATH, ModuleClient, make_module_client, oauth_error, post_token


@pytest.fixture
def module(http: httpx.Client, admin_headers: dict[str, str]) -> ModuleClient:
    return make_module_client(http, admin_headers)


@pytest.fixture
def confidential(http: httpx.Client, admin_headers: dict[str, str]) -> ModuleClient:
    return make_module_client(http, admin_headers, confidential=True)


def basic(client_id: str, secret: str) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(f"{client_id}:{secret}".encode()).decode()}


def refresh_body(
    client: ModuleClient, refresh_token: str, organization_id: str | None = None
) -> dict[str, str]:
    return {
        "grant_type": "refresh_token",
        "refresh_token": refresh_token,
        "organization_id": organization_id or client.organization_id,
        **client.credentials(),
    }


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"client_id": "x"},
        {"grant_type": ""},
        {"grant_type": "refresh_token", "client_id": "x", "organization_id": str(uuid.uuid4())},
        {"grant_type": "refresh_token", "client_id": "x", "refresh_token": "y"},
    ],
    ids=["empty", "no-grant-type", "blank-grant-type", "no-refresh-token", "no-organization"],
)
def test_a_missing_parameter_is_an_invalid_request(http: httpx.Client, body: dict[str, str]) -> None:
    assert oauth_error(post_token(http, body), 400) == "invalid_request"


def test_a_repeated_parameter_is_an_invalid_request(http: httpx.Client, module: ModuleClient) -> None:
    body = f"grant_type=client_credentials&client_id={module.client_id}&client_id={module.client_id}"
    response = http.post(
        TOKEN_PATH, content=body, headers={"Content-Type": "application/x-www-form-urlencoded"}
    )

    assert oauth_error(response, 400) == "invalid_request"


@pytest.mark.parametrize(
    ("content", "content_type"),
    [
        (b'{"grant_type": "client_credentials", "client_id": 7}', "application/json"),
        (b'{"grant_type": "client_credentials", "client_id": "a", "client_id": "a"}', "application/json"),
        (b'{"grant_type": ', "application/json"),
        (b"grant_type=client_credentials", "text/plain"),
        (b"grant_type=client_credentials", "multipart/form-data; boundary=x"),
        (b"grant_type=client_credentials&client_id=\xff", "application/x-www-form-urlencoded"),
        ("&".join(f"f{n}=1" for n in range(100)).encode(), "application/x-www-form-urlencoded"),
        (b"grant_type=client_credentials&client_id=" + b"a" * 9000, "application/x-www-form-urlencoded"),
    ],
    ids=[
        "number",
        "json-repeat",
        "broken-json",
        "text",
        "multipart",
        "not-utf8",
        "too-many-fields",
        "too-long",
    ],
)
def test_an_unreadable_body_is_an_invalid_request(
    http: httpx.Client, content: bytes, content_type: str
) -> None:
    response = http.post(TOKEN_PATH, content=content, headers={"Content-Type": content_type})

    assert oauth_error(response, 400) == "invalid_request"


def test_a_malformed_organization_id_is_an_invalid_request(http: httpx.Client, module: ModuleClient) -> None:
    body = refresh_body(module, module.refresh_token(), organization_id="f6123456789101112131415aBCdeFgH")

    assert oauth_error(post_token(http, body), 400) == "invalid_request"


def test_a_secret_sent_with_basic_and_in_the_body_is_an_invalid_request(
    http: httpx.Client, confidential: ModuleClient
) -> None:
    assert confidential.secret is not None
    body = {"grant_type": "client_credentials", "client_secret": confidential.secret}
    response = post_token(http, body, headers=basic(confidential.client_id, confidential.secret))

    assert oauth_error(response, 400) == "invalid_request"


def test_a_client_id_in_the_body_other_than_basics_is_an_invalid_request(
    http: httpx.Client, confidential: ModuleClient
) -> None:
    assert confidential.secret is not None
    body = {"grant_type": "client_credentials", "client_id": str(uuid.uuid4())}
    response = post_token(http, body, headers=basic(confidential.client_id, confidential.secret))

    assert oauth_error(response, 400) == "invalid_request"


def test_a_credential_in_the_query_string_is_an_invalid_request(
    http: httpx.Client, module: ModuleClient
) -> None:
    response = http.post(
        f"{TOKEN_PATH}?client_secret=s3cret",
        data={"grant_type": "client_credentials", "client_id": module.client_id},
    )

    assert oauth_error(response, 400) == "invalid_request"


def test_other_methods_and_paths_answer_in_the_oauth_format(http: httpx.Client) -> None:
    assert oauth_error(http.get(TOKEN_PATH), 405) == "invalid_request"
    assert oauth_error(http.post("/oauth/authorize"), 404) == "invalid_request"


@pytest.mark.parametrize(
    "client_id",
    [None, "", str(uuid.uuid4()), "not-a-uuid", "../../etc"],
    ids=["absent", "blank", "unknown", "bad", "path"],
)
def test_an_unknown_or_unnamed_client_is_an_invalid_client(http: httpx.Client, client_id: str | None) -> None:
    body = {"grant_type": "client_credentials"} | ({} if client_id is None else {"client_id": client_id})

    response = post_token(http, body)

    assert oauth_error(response, 401) == "invalid_client"
    assert response.headers["www-authenticate"].startswith("Basic")


def test_a_confidential_client_without_its_secret_is_an_invalid_client(
    http: httpx.Client, confidential: ModuleClient
) -> None:
    body = {"grant_type": "client_credentials", "client_id": confidential.client_id}

    assert oauth_error(post_token(http, body), 401) == "invalid_client"


@pytest.mark.parametrize("where", ["body", "basic"])
def test_a_wrong_secret_is_an_invalid_client_with_a_basic_challenge(
    http: httpx.Client, confidential: ModuleClient, where: str
) -> None:
    body = {"grant_type": "client_credentials", "client_id": confidential.client_id}
    if where == "body":
        response = post_token(http, {**body, "client_secret": "los_wrong"})
    else:
        response = post_token(http, body, headers=basic(confidential.client_id, "los_wrong"))

    assert oauth_error(response, 401) == "invalid_client"
    assert response.headers["www-authenticate"] == 'Basic realm="oauth"'
    assert response.headers["cache-control"] == "no-store"


@pytest.mark.parametrize("credentials", ["not base64!", base64.b64encode(b"no-colon").decode(), "", "//8="])
def test_malformed_basic_credentials_are_an_invalid_client(http: httpx.Client, credentials: str) -> None:
    response = post_token(
        http, {"grant_type": "client_credentials"}, headers={"Authorization": f"Basic {credentials}".strip()}
    )

    assert oauth_error(response, 401) == "invalid_client"
    assert response.headers["www-authenticate"].startswith("Basic")


def test_a_public_client_that_sends_a_secret_is_an_invalid_client(
    http: httpx.Client, module: ModuleClient
) -> None:
    body = {"grant_type": "client_credentials", "client_id": module.client_id, "client_secret": "los_guess"}

    assert oauth_error(post_token(http, body), 401) == "invalid_client"


def test_a_confidential_client_must_authenticate_for_the_refresh_grant_too(
    http: httpx.Client, confidential: ModuleClient
) -> None:
    body = refresh_body(confidential, confidential.refresh_token())
    del body["client_secret"]

    assert oauth_error(post_token(http, body), 401) == "invalid_client"


@pytest.mark.parametrize("token", ["garbage", "a.b.c", "", "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0."])
def test_a_refresh_token_that_is_not_ours_is_an_invalid_grant(
    http: httpx.Client, module: ModuleClient, token: str
) -> None:
    body = refresh_body(module, token) if token else {**refresh_body(module, "x"), "refresh_token": ""}
    expected = "invalid_grant" if token else "invalid_request"

    assert oauth_error(post_token(http, body), 400) == expected


def test_an_access_token_is_not_a_refresh_token(http: httpx.Client, module: ModuleClient) -> None:
    access = module.access_token()

    assert oauth_error(post_token(http, refresh_body(module, access)), 400) == "invalid_grant"


def test_a_refresh_token_of_another_client_is_an_invalid_grant(
    http: httpx.Client, admin_headers: dict[str, str], module: ModuleClient
) -> None:
    other = make_module_client(http, admin_headers)

    body = refresh_body(module, other.refresh_token())

    assert oauth_error(post_token(http, body), 400) == "invalid_grant"


def test_a_client_without_the_module_scope_is_an_unauthorized_client(
    http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    client = make_module_client(http, admin_headers, scopes=["court-bookings:read"])
    body = {"grant_type": "client_credentials", "client_id": client.client_id}

    assert oauth_error(post_token(http, body), 400) == "unauthorized_client"


@pytest.mark.parametrize(
    "grant_type", ["password", "authorization_code", "urn:ietf:params:oauth:grant-type:jwt-bearer"]
)
def test_other_grant_types_are_unsupported(http: httpx.Client, module: ModuleClient, grant_type: str) -> None:
    body = {"grant_type": grant_type, "client_id": module.client_id}

    assert oauth_error(post_token(http, body), 400) == "unsupported_grant_type"


@pytest.mark.parametrize("granted", [False, True], ids=["other-tenants", "unknown"])
def test_an_organization_not_granted_to_the_client_is_an_invalid_scope(
    http: httpx.Client, admin_headers: dict[str, str], module: ModuleClient, granted: bool
) -> None:
    other = make_module_client(http, admin_headers).organization_id if not granted else str(uuid.uuid4())

    body = refresh_body(module, module.refresh_token(), organization_id=other)

    assert oauth_error(post_token(http, body), 400) == "invalid_scope"


def test_asking_for_a_scope_beyond_the_module_api_is_an_invalid_scope(
    http: httpx.Client, module: ModuleClient
) -> None:
    body = {"grant_type": "client_credentials", "client_id": module.client_id, "scope": "module-api admin"}
    allowed = {**body, "scope": "module-api"}

    assert oauth_error(post_token(http, body), 400) == "invalid_scope"
    assert post_token(http, allowed).status_code == 200


@pytest.mark.parametrize(
    ("content", "content_type"),
    [
        (b"", ""),
        (b"\x00\x01\x02\xff", "application/octet-stream"),
        (b"[" * 50_000 + b"]" * 50_000, "application/json"),
        (b"{" + b'"a":{' * 30_000 + b"}" * 30_001, "application/json"),
        (b"[1, 2]", "application/json"),
        (b"null", "application/json"),
        (b'{"grant_type": "client_credentials", "client_id": 1e999999}', "application/json"),
        (b'{"grant_type": "client_credentials", "client_id": ' + b"9" * 5000 + b"}", "application/json"),
        (b'{"grant_type": "client_credentials", "client_id": "\\u0000\\ud800"}', "application/json"),
        (b'{"grant_type": ["client_credentials"], "extra": {"deep": [1, {}]}}', "application/json"),
        (b"grant_type=client_credentials&client_id=%00%ff", "application/x-www-form-urlencoded"),
        (b"grant_type=refresh_token&client_id=x&refresh_token=%FF&organization_id=%C0", ""),
        (b"=&&=&grant_type", "application/x-www-form-urlencoded"),
        (b"a" * (1024 * 1024 + 1), "application/x-www-form-urlencoded"),
    ],
)
def test_no_body_makes_the_token_endpoint_fail(http: httpx.Client, content: bytes, content_type: str) -> None:
    headers = {"Content-Type": content_type} if content_type else {}

    response = http.post(TOKEN_PATH, content=content, headers=headers)

    assert 400 <= response.status_code < 500, response.text
    assert set(response.json()) == {"error", "error_description"}
