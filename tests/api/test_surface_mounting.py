"""Surfaces mounted as the app mounts its own: base paths, own OpenAPI documents, formats chosen by route."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Any

import httpx
import pytest
from fastapi import Depends, Request
from pydantic import BaseModel

from api.app import create_app
from api.shared.auth import authenticated
from api.shared.errors import COMMON_TYPES, REQUEST_ERRORS, ErrorFormat, Problem, RequestInfo
from api.shared.mount import mount_surface
from api.shared.problems import MissingApiTokenError
from api.shared.surface import Surface
from domain.context import Principal
from domain.errors import NotFoundError
from ledger.runtime import Runtime
from tests.support import ServerThread, expect

CALLER = "x-probe-caller"
ROOT_SURFACES = (
    "partner-sync",
    "bookings",
    "admin",
    "audit",
    "query",
    "oauth",
    "payment-webhooks",
    "module-api",
    "operations",
    "changes",
)
# Paths of the app's own, outside every surface: the probes of load balancers.
PROBES = {"/health", "/ready"}
# Surfaces mounted below a base path; their paths in the main document are theirs, not a root surface's.
BASE_PATHS = ("/matchengine/",)


class ThingMissingError(NotFoundError):
    """Raised when a probe asks for the thing named `missing`."""


class ProbeProblem(BaseModel):
    problem: str
    endpoint: str


class ThingOut(BaseModel):
    thing: str
    caller: str


def probe_body(problem: Problem, info: RequestInfo) -> dict[str, Any]:
    return {"problem": problem.type, "endpoint": info.endpoint}


PROBE_FORMAT = ErrorFormat(probe_body, ProbeProblem, "probe_invalid", {404: "probe_no_route"})


def probe_caller(request: Request, _: Runtime) -> Principal:
    """A resolver of the probe's own: the caller names itself in a header."""
    name = request.headers.get(CALLER)
    if name is None:
        raise MissingApiTokenError(f"The {CALLER} header is required.")
    return Principal(id=name, kind="probe")


def probe_surface(name: str, base_path: str, prefix: str) -> Surface:
    """A surface of one route, `GET <base path><prefix>/{thing}`, with its own format and resolver."""
    surface = Surface(
        name=name,
        errors={**COMMON_TYPES, ThingMissingError: (404, "thing_missing")},
        format=PROBE_FORMAT,
        auth=probe_caller,
        base_path=base_path,
        common=(*REQUEST_ERRORS, MissingApiTokenError),
    )
    router = surface.router(prefix=prefix, tags=["probe"])

    @router.get("/{thing}", responses=surface.responses(ThingMissingError))
    def get_thing(thing: str, caller: Annotated[Principal, Depends(authenticated)]) -> ThingOut:
        if thing == "missing":
            raise ThingMissingError("No such thing.")
        return ThingOut(thing=thing, caller=caller.id)

    return surface


@pytest.fixture(scope="module")
def probed(runtime: Runtime) -> Iterator[httpx.Client]:
    """The app with two probe surfaces: one below `/probe`, one at the root inside the bookings' paths."""
    app = create_app(runtime=runtime)
    mount_surface(app, probe_surface("probe", "/probe", "/api/v1/things"))
    mount_surface(app, probe_surface("probe-root", "", "/api/v1/bookings/probe"))
    with ServerThread(app) as server, httpx.Client(base_url=server.url, timeout=30) as client:
        yield client


def test_a_surface_under_a_base_path_answers_below_it_with_its_own_resolver(probed: httpx.Client) -> None:
    response = probed.get("/probe/api/v1/things/t-1", headers={CALLER: "ana"})

    assert expect(response, 200) == {"thing": "t-1", "caller": "ana"}
    assert probed.get("/api/v1/things/t-1", headers={CALLER: "ana"}).status_code == 404


def test_a_surface_under_a_base_path_answers_errors_in_its_format(probed: httpx.Client) -> None:
    missing = probed.get("/probe/api/v1/things/missing", headers={CALLER: "ana"})
    anonymous = probed.get("/probe/api/v1/things/t-1")
    unrouted = probed.get("/probe/api/v1/nothing-here")

    endpoint = "GET /probe/api/v1/things/{thing}"
    assert expect(missing, 404) == {"problem": "thing_missing", "endpoint": endpoint}
    assert expect(anonymous, 401) == {"problem": "missing_api_token", "endpoint": endpoint}
    assert expect(unrouted, 404)["problem"] == "probe_no_route"


def test_the_error_format_is_the_matched_routes_not_the_one_its_path_prefix_suggests(
    probed: httpx.Client,
) -> None:
    routed = probed.get("/api/v1/bookings/probe/missing", headers={CALLER: "ana"})
    unrouted = probed.get("/api/v1/bookings/probe/missing/nothing-here")

    assert expect(routed, 404) == {
        "problem": "thing_missing",
        "endpoint": "GET /api/v1/bookings/probe/{thing}",
    }
    assert [entry["code"] for entry in expect(unrouted, 404)["errors"]] == ["not_found"]


def test_a_surface_under_a_base_path_serves_its_own_openapi_document_below_it(probed: httpx.Client) -> None:
    document = expect(probed.get("/probe/openapi.json"), 200)

    assert set(document["paths"]) == {"/api/v1/things/{thing}"}
    assert document["servers"] == [{"url": "/probe"}]
    responses = document["paths"]["/api/v1/things/{thing}"]["get"]["responses"]
    assert "thing_missing" in responses["404"]["description"]
    assert responses["401"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ProbeProblem"
    }
    assert "422" not in responses


def test_the_main_document_lists_every_surface_with_its_base_path(probed: httpx.Client) -> None:
    paths = set(expect(probed.get("/openapi.json"), 200)["paths"])

    assert {"/probe/api/v1/things/{thing}", "/api/v1/bookings/probe/{thing}", "/health"} <= paths
    assert "/api/v1/things/{thing}" not in paths


def test_each_surface_at_the_root_serves_its_own_openapi_document(http: httpx.Client) -> None:
    listed = expect(http.get("/openapi.json"), 200)["paths"]
    main = {path for path in listed if not path.startswith(BASE_PATHS)}
    documents = {name: expect(http.get(f"/openapi/{name}.json"), 200) for name in ROOT_SURFACES}
    paths = {name: set(document["paths"]) for name, document in documents.items()}

    assert set().union(*paths.values()) == main - PROBES
    assert sum(len(listed) for listed in paths.values()) == len(main) - len(PROBES)
    assert "/api/v1/external-services/{externalServiceId}/court-bookings" in paths["partner-sync"]
    assert "/api/v1/orders" in paths["bookings"]
    assert all("servers" not in document for document in documents.values())


@pytest.mark.parametrize(("name", "schema"), [("bookings", "ErrorsBody"), ("admin", "ErrorBody")])
def test_a_surfaces_own_document_declares_errors_in_its_format(
    http: httpx.Client, name: str, schema: str
) -> None:
    document = expect(http.get(f"/openapi/{name}.json"), 200)

    for item in document["paths"].values():
        for operation in item.values():
            for status, response in operation["responses"].items():
                if int(status) >= 400:
                    assert response["content"]["application/json"]["schema"] == {
                        "$ref": f"#/components/schemas/{schema}"
                    }
