"""`ledger admin` against real PostgreSQL: venue details, profile schemas and member profiles, as the API."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from ledger.cli import main
from tests.support import expect

pytestmark = pytest.mark.usefixtures("cli_env")
FIELDS = [
    {"id": "Full Name", "name": "Full Name", "label": "Name", "type": "text", "order": 1},
    {"id": "Level", "name": "Level", "label": "Playing level", "type": "text", "order": 2},
]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> Any:
    assert main(["admin", *argv]) == 0
    return json.loads(capsys.readouterr().out)


def fails(capsys: pytest.CaptureFixture[str], *argv: str) -> dict[str, Any]:
    assert main(["admin", *argv]) == 1
    error: dict[str, Any] = json.loads(capsys.readouterr().err)["error"]
    return error


def new_venue(capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    organization = run(capsys, "create-organization", "--name", "Club", "--timezone", "Europe/Berlin")
    venue: dict[str, Any] = run(
        capsys, "create-venue", "--organization-id", organization["id"], "--name", "Hall"
    )
    return venue


def test_update_venue_command_sets_the_fields_given_and_prints_the_venue_with_its_number(
    capsys: pytest.CaptureFixture[str],
) -> None:
    venue = new_venue(capsys)
    options = [
        "--slug",
        "hall",
        "--street-address",
        "Main St 1",
        "--latitude",
        "52.5",
        "--is-published",
        "true",
    ]

    updated = run(capsys, "update-venue", "--venue-id", venue["id"], *options)

    assert updated == {
        **venue,
        "slug": "hall",
        "streetAddress": "Main St 1",
        "latitude": "52.5",
        "isPublished": True,
    }
    assert isinstance(updated["number"], int)


def test_update_venue_command_takes_the_number_and_clears_a_field_given_empty(
    capsys: pytest.CaptureFixture[str],
) -> None:
    venue = new_venue(capsys)
    run(capsys, "update-venue", "--venue-id", venue["id"], "--slug", "hall", "--country", "DE")

    updated = run(capsys, "update-venue", "--venue-id", str(venue["number"]), "--slug", "", "--country", "")

    assert (updated["id"], updated["slug"], updated["country"]) == (venue["id"], None, None)


def test_update_venue_command_refuses_an_invalid_value_and_an_unknown_venue(
    capsys: pytest.CaptureFixture[str],
) -> None:
    venue = new_venue(capsys)

    invalid = fails(capsys, "update-venue", "--venue-id", venue["id"], "--latitude", "north")
    unknown = fails(capsys, "update-venue", "--venue-id", "999999999999", "--slug", "x")

    assert invalid["type"] == "InvalidCoordinateError"
    assert unknown["type"] == "VenueNotFoundError"


def test_set_profile_schema_command_takes_the_fields_as_json(capsys: pytest.CaptureFixture[str]) -> None:
    venue = new_venue(capsys)
    organization_id = venue["organizationId"]

    schema = run(
        capsys,
        "set-profile-schema",
        "--organization-id",
        organization_id,
        "--name",
        "Club",
        "--fields",
        json.dumps(FIELDS),
    )
    shown = run(capsys, "get-profile-schema", "--organization-id", organization_id)

    assert (
        schema
        == shown
        == {"organizationId": organization_id, "schemaId": "master", "name": "Club", "fields": FIELDS}
    )


def test_set_profile_schema_command_takes_a_file_holding_the_fields_or_a_whole_body(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    organization_id = new_venue(capsys)["organizationId"]
    fields_file, body_file = tmp_path / "fields.json", tmp_path / "body.json"
    fields_file.write_text(json.dumps(FIELDS[:1]))
    body_file.write_text(json.dumps({"schemaId": "v2", "fields": FIELDS}))

    from_fields = run(
        capsys, "set-profile-schema", "--organization-id", organization_id, "--fields-file", str(fields_file)
    )
    from_body = run(
        capsys, "set-profile-schema", "--organization-id", organization_id, "--fields-file", str(body_file)
    )

    assert from_fields["fields"] == FIELDS[:1]
    assert (from_body["schemaId"], from_body["fields"]) == ("v2", FIELDS)


def test_set_profile_schema_command_refuses_json_that_is_not_json(capsys: pytest.CaptureFixture[str]) -> None:
    organization_id = new_venue(capsys)["organizationId"]

    with pytest.raises(SystemExit) as exited:
        main(["admin", "set-profile-schema", "--organization-id", organization_id, "--fields", "[{"])

    assert exited.value.code == 2
    assert "not valid JSON" in capsys.readouterr().err


def test_set_member_profile_command_sets_values_from_json_and_assignments(
    capsys: pytest.CaptureFixture[str],
) -> None:
    organization_id = new_venue(capsys)["organizationId"]
    user = run(capsys, "create-user", "--email", "member@example.com")
    target = ["--organization-id", organization_id, "--user-id", user["id"]]

    first = run(capsys, "set-member-profile", *target, "--values", '{"Full Name": "Ada", "Phone": "123"}')
    second = run(
        capsys, "set-member-profile", *target, "--value", "Postcode=N1", "--values", '{"Phone": null}'
    )

    assert first == {
        "organizationId": organization_id,
        "userId": user["id"],
        "values": {"Full Name": "Ada", "Phone": "123"},
    }
    assert second["values"] == {"Full Name": "Ada", "Postcode": "N1"}


def test_set_member_profile_command_refuses_a_field_the_schema_does_not_have(
    capsys: pytest.CaptureFixture[str],
) -> None:
    organization_id = new_venue(capsys)["organizationId"]
    user = run(capsys, "create-user", "--email", "member2@example.com")

    error = fails(
        capsys,
        "set-member-profile",
        "--organization-id",
        organization_id,
        "--user-id",
        user["id"],
        "--value",
        "Shoe=42",
    )

    assert error["type"] == "UnknownProfileFieldError"
    assert "Shoe" in error["message"]


def test_the_commands_print_what_the_admin_api_answers(
    capsys: pytest.CaptureFixture[str], http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    venue = new_venue(capsys)
    organization_id = venue["organizationId"]
    user = run(capsys, "create-user", "--email", "member3@example.com")
    schema_path = f"/api/v1/admin/organizations/{organization_id}/profile-schema"
    profile_path = f"/api/v1/admin/organizations/{organization_id}/members/{user['id']}/profile"

    by_cli = [
        run(capsys, "update-venue", "--venue-id", venue["id"], "--city", "Bonn"),
        run(
            capsys, "set-profile-schema", "--organization-id", organization_id, "--fields", json.dumps(FIELDS)
        ),
        run(
            capsys,
            "set-member-profile",
            "--organization-id",
            organization_id,
            "--user-id",
            user["id"],
            "--value",
            "Level=Pro",
        ),
    ]
    by_api = [
        http.patch(f"/api/v1/admin/venues/{venue['id']}", json={"city": "Bonn"}, headers=admin_headers),
        http.put(schema_path, json={"fields": FIELDS}, headers=admin_headers),
        http.put(profile_path, json={"values": {"Level": "Pro"}}, headers=admin_headers),
    ]

    assert by_cli == [expect(response, 200) for response in by_api]
