"""The module API's refusals: the seed's `messageList` for every status, in the path's language."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest

from tests.api.module_support import ModuleOrg, code_of, make_module_org, messages
from tests.support import expect

LIST = "bookingTemplate/list"
# 2030 in fullwidth digits, which some date parsers read as digits.
FULLWIDTH_YEAR = "\uff12\uff10\uff13\uff10-05-01T00:00:00Z"
PREFIX = "/module/v3/{locale}/organization/{organizationId}"
ERROR_REF = {"$ref": "#/components/schemas/ModuleApiErrorBody"}


@pytest.fixture
def org(http: httpx.Client, admin_headers: dict[str, str]) -> ModuleOrg:
    return make_module_org(http, admin_headers)


@pytest.mark.parametrize(
    ("locale", "message"),
    [
        ("de", "Es wurde kein Zugriffstoken gesendet: Authorization: Bearer <access_token>."),
        ("de_DE", "Es wurde kein Zugriffstoken gesendet: Authorization: Bearer <access_token>."),
        ("en", "No access token was provided: send Authorization: Bearer <access_token>."),
        ("fr", "No access token was provided: send Authorization: Bearer <access_token>."),
    ],
)
def test_messages_are_german_for_de_and_english_otherwise(org: ModuleOrg, locale: str, message: str) -> None:
    [entry] = messages(org.get(LIST, locale=locale, headers={}), 401)

    assert entry == {"type": "ERROR", "code": "missing_access_token", "message": message}


def test_a_locale_that_is_no_language_code_is_refused_with_400(org: ModuleOrg) -> None:
    for locale in ("d3", "deutsch-de-xx-yy-zz", "-", "12"):
        assert code_of(org.get(LIST, locale=locale), 400) == "invalid_locale"


@pytest.mark.parametrize(
    "organization", ["not-an-id", "1234", f"{{{uuid.uuid4()}}}", f"urn:uuid:{uuid.uuid4()}"]
)
def test_an_organization_id_that_is_no_uuid_is_refused_with_400(org: ModuleOrg, organization: str) -> None:
    response = org.http.get(org.path(LIST, organization=organization), headers=org.headers)

    assert code_of(response, 400) == "invalid_id"


def test_a_german_refusal_of_a_domain_error_is_translated(org: ModuleOrg) -> None:
    [entry] = messages(org.add("forged", locale="de"), 400)

    assert entry["code"] == "invalid_booking_slot_id"
    assert entry["message"].startswith("Die bookingSlotId ist ungültig")


@pytest.mark.parametrize(
    ("method", "path", "status", "code", "message"),
    [
        ("GET", "/module/v3/de/organization/x/nothing", 404, "not_found", "Nicht gefunden."),
        ("GET", "/module/v2/en/anything", 404, "not_found", "Not Found"),
        ("DELETE", "/module/v3/en/organization/x/bookingTemplate/list", 405, "method_not_allowed", None),
        ("PUT", "/module/v3/de/organization/x/appointment/add", 405, "method_not_allowed", None),
    ],
)
def test_unrouted_requests_below_module_answer_in_the_messagelist_envelope(
    http: httpx.Client, method: str, path: str, status: int, code: str, message: str | None
) -> None:
    [entry] = messages(http.request(method, path), status)

    assert entry["code"] == code
    assert message is None or entry["message"] == message


def test_an_oversized_body_is_refused_with_413_in_the_messagelist_envelope(org: ModuleOrg) -> None:
    body = b'{"bookingSlotId": "' + b"x" * (1024 * 1024 + 1) + b'"}'

    response = org.http.post(
        org.path("appointment/add", locale="de"),
        content=body,
        headers={**org.headers, "Content-Type": "application/json", "X-Request-ID": "module-413"},
    )

    [entry] = messages(response, 413)
    assert entry == {
        "type": "ERROR",
        "code": "payload_too_large",
        "message": "Der Inhalt der Anfrage ist zu groß.",
    }
    assert response.headers["X-Request-ID"] == "module-413"


def test_a_credential_in_the_query_is_refused(org: ModuleOrg) -> None:
    response = org.get(LIST, params={"access_token": org.token})

    assert code_of(response, 400) == "credential_in_query"


def module_operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method, path, operation)
        for path, item in document["paths"].items()
        if path.startswith("/module/")
        for method, operation in item.items()
    ]


def test_the_surface_serves_its_own_document_and_is_part_of_the_apps(http: httpx.Client) -> None:
    own = expect(http.get("/openapi/module-api.json"), 200)
    app = expect(http.get("/openapi.json"), 200)

    operations = module_operations(own)
    assert {(method, path.removeprefix(PREFIX)) for method, path, _ in operations} == {
        ("get", "/bookingTemplate/list"),
        ("get", "/bookingTemplate/{templateId}/bookingSlot/earliest"),
        ("get", "/bookingTemplate/{templateId}/bookingSlot/list"),
        ("post", "/appointment/add"),
        ("get", "/appointment/{appointmentId}"),
        ("post", "/appointment/{appointmentId}/cancel"),
    }
    assert set(own["paths"]) <= set(app["paths"])
    for method, path, operation in operations:
        errors = {
            status: response for status, response in operation["responses"].items() if int(status) >= 400
        }
        assert {"400", "401", "403", "503"} <= set(errors), f"{method} {path}"
        for status, response in errors.items():
            assert response["content"]["application/json"]["schema"] == ERROR_REF, f"{method} {path} {status}"
    add = own["paths"][f"{PREFIX}/appointment/add"]["post"]
    assert {"409", "413"} <= set(add["responses"])


@pytest.mark.parametrize(
    ("rest", "params"),
    [
        ("bookingTemplate/%00/bookingSlot/earliest", {}),
        (f"bookingTemplate/{'ü' * 40}/bookingSlot/earliest", {}),
        ("bookingTemplate/{template}/bookingSlot/list", {"rangeStart": "2030-05-01T00:00:00+24:00"}),
        ("bookingTemplate/{template}/bookingSlot/list", {"rangeStart": FULLWIDTH_YEAR}),
        ("bookingTemplate/{template}/bookingSlot/list", {"rangeStart": "9" * 400, "rangeEnd": "\x00"}),
        ("bookingTemplate/{template}/bookingSlot/list", {"rangeStart": "2030-W01-1T00:00:00Z"}),
        ("appointment/%E2%80%8B", {}),
    ],
)
def test_odd_paths_and_parameters_are_refused_without_a_server_error(
    org: ModuleOrg, rest: str, params: dict[str, str]
) -> None:
    response = org.get(rest.format(template=org.template_id), params=params)

    assert 400 <= response.status_code < 500
    messages(response, response.status_code)


@pytest.mark.parametrize(
    "body",
    [
        b"\xff\xfe",
        b"null",
        b'{"bookingSlotId": "", "customer": {"firstName": "A", "lastName": "B"}}',
        b'{"bookingSlotId": "' + b"A" * 10000 + b'", "customer": {"firstName": "A", "lastName": "B"}}',
        b'{"bookingSlotId": "x", "customer": null}',
        b'{"bookingSlotId": "x", "customer": {"firstName": "A", "lastName": "B", "address": "Street 1"}}',
        b'{"bookingSlotId": "x", "customer": {"firstName": "A\\u0000", "lastName": "B"}}',
        b'{"bookingSlotId": ["x"], "customer": {"firstName": {}, "lastName": []}}',
    ],
)
def test_odd_bodies_are_refused_without_a_server_error(org: ModuleOrg, body: bytes) -> None:
    response = org.http.post(
        org.path("appointment/add"), content=body, headers={**org.headers, "Content-Type": "application/json"}
    )

    messages(response, 400)
