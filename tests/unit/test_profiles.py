"""Profile schemas (the master schema to start with, replacement) and members' profile values."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import pytest

from domain.application import Ledger
from domain.context import ADMIN, Principal, RequestContext
from domain.ids import profile_schema_id
from domain.organization import Organization, OrganizationNotFoundError
from domain.profile_commands import ProfileAccessDeniedError
from domain.profiles import (
    InvalidProfileSchemaError,
    InvalidProfileValueError,
    MemberProfile,
    ProfileField,
    ProfileSchema,
    UnknownProfileFieldError,
)
from domain.user import UserNotFoundError
from tests.unit.allocators import in_memory_ledger
from tests.unit.events import given, meta, no_events, only_event, stored_types

ORGANIZATION = UUID(int=2)
USER = UUID(int=3)
# The master schema of the query seed's schema example.
SEED_FIELDS = [
    {"id": "Full Name", "name": "Full Name", "label": "Full Name", "type": "text", "order": 1},
    {"id": "Email", "name": "Email", "label": "Email Address", "type": "email", "order": 2},
    {"id": "Phone", "name": "Phone", "label": "Phone Number", "type": "phone", "order": 3},
    {"id": "Postcode", "name": "Postcode", "label": "Postcode", "type": "text", "order": 4},
    {"id": "Date of Birth", "name": "Date of Birth", "label": "Date of Birth", "type": "date", "order": 5},
]


def context(principal: Principal = ADMIN) -> RequestContext:
    return RequestContext(principal, datetime(2030, 1, 1, tzinfo=UTC), "r")


def master() -> ProfileSchema:
    """Given: an organization's master schema, saved."""
    return given(ProfileSchema.master(ORGANIZATION, meta()))


def member(schema: ProfileSchema, values: dict[str, object]) -> MemberProfile:
    """Given: a member's profile with `values`, saved."""
    profile = MemberProfile(organization_id=ORGANIZATION, user_id=USER, meta=meta())
    profile.set_values(schema, values, meta())
    return given(profile)


def ledger_with_member() -> tuple[Ledger, UUID, UUID]:
    ledger = in_memory_ledger()
    organization = ledger.create_organization(context(), "Club", "Europe/London").value
    user = ledger.create_user(context(), "ana@example.com", "Ana", None).value
    return ledger, organization.id, user.id


def client_principal(ledger: Ledger, organization_ids: list[UUID], linked_user: UUID | None) -> Principal:
    client = ledger.create_client(context(), "App", ["users:write"], organization_ids).value
    if linked_user is not None:
        ledger.link_user(context(), client.id, linked_user)
    return Principal(str(client.id), "client", frozenset(client.scopes), frozenset(organization_ids))


def test_a_new_organization_starts_with_the_seeds_master_schema() -> None:
    ledger = in_memory_ledger()

    organization = ledger.create_organization(context(), "Club", "Europe/London").value

    stored = ledger.find(profile_schema_id(organization.id), ProfileSchema)
    assert stored is not None
    assert (stored.schema_id, stored.name) == ("master", "Master Schema")
    assert [field.as_dict() for field in stored.fields] == SEED_FIELDS


def test_an_organization_registered_before_schemas_has_the_master_schema() -> None:
    ledger = in_memory_ledger()
    organization = Organization.register("Old Club", "UTC", meta())
    ledger.save(organization)

    schema = ledger.profile_schema(organization.id)

    assert [field.as_dict() for field in schema.fields] == SEED_FIELDS


def test_the_schema_of_an_unknown_organization_is_not_found() -> None:
    with pytest.raises(OrganizationNotFoundError):
        in_memory_ledger().profile_schema(UUID(int=99))


def test_replacing_the_fields_records_them_in_order_and_keeps_the_schema_id_and_name() -> None:
    schema = master()

    schema.replace(
        [
            {"id": "Nickname", "name": "Nickname", "label": "Nick", "type": "text", "order": 2},
            {"id": "Email", "name": "Email", "label": "Email Address", "type": "email", "order": 1},
        ],
        None,
        None,
        meta(),
    )

    replaced = only_event(schema, ProfileSchema.Replaced)
    assert [field["id"] for field in replaced.fields] == ["Email", "Nickname"]
    assert (replaced.schema_id, replaced.name) == ("master", "Master Schema")
    assert schema.field_ids == {"Email", "Nickname"}


def test_a_field_without_name_label_or_order_takes_its_id_its_name_and_its_position() -> None:
    schema = master()

    schema.replace(
        [{"id": "A", "type": "text"}, {"id": "B", "label": "Bee", "type": "date"}], "club", "Club", meta()
    )

    assert schema.fields == (ProfileField("A", "A", "A", "text", 1), ProfileField("B", "B", "Bee", "date", 2))
    assert (schema.schema_id, schema.name) == ("club", "Club")


def test_replacing_with_the_same_schema_records_nothing() -> None:
    schema = master()

    changed = schema.replace(SEED_FIELDS, "master", None, meta())

    assert changed is False
    no_events(schema)


@pytest.mark.parametrize(
    "fields",
    [
        [{"id": "A", "type": "text"}, {"id": "A", "type": "date"}],
        [{"id": "A,B", "type": "text"}],
        [{"id": "profileId", "type": "text"}],
        [{"id": "", "type": "text"}],
        [{"type": "text"}],
        [{"id": "A", "type": "Text Field"}],
        [{"id": "A"}],
        [{"id": "A", "type": "text", "order": True}],
        [{"id": "A", "type": "text", "order": -1}],
        [{"id": "A", "type": "text", "order": "1"}],
        [{"id": "A", "type": "text", "label": 5}],
        [{"id": "A\nB", "type": "text"}],
        [{"id": f"F{index}", "type": "text"} for index in range(201)],
    ],
    ids=[
        "repeated-id",
        "comma",
        "reserved-id",
        "empty-id",
        "no-id",
        "bad-type",
        "no-type",
        "bool-order",
        "negative-order",
        "string-order",
        "label-not-text",
        "control-character",
        "too-many",
    ],
)
def test_a_malformed_schema_is_refused(fields: list[dict[str, Any]]) -> None:
    schema = master()

    with pytest.raises(InvalidProfileSchemaError):
        schema.replace(fields, None, None, meta())

    no_events(schema)


def test_setting_values_records_only_the_named_fields_that_change() -> None:
    profile = member(master(), {"Full Name": "Ana Garcia", "Email": "ana@example.com"})

    profile.set_values(master(), {"Full Name": "Ana Garcia", "Phone": " +44 20 7123 4567 "}, meta())

    assert only_event(profile, MemberProfile.ValuesSet).values == {"Phone": "+44 20 7123 4567"}
    assert profile.values == {
        "Full Name": "Ana Garcia",
        "Email": "ana@example.com",
        "Phone": "+44 20 7123 4567",
    }


def test_none_or_blank_removes_a_value() -> None:
    profile = member(master(), {"Full Name": "Ana Garcia", "Email": "ana@example.com"})

    profile.set_values(master(), {"Email": None, "Full Name": " "}, meta())

    assert only_event(profile, MemberProfile.ValuesSet).values == {"Email": None, "Full Name": None}
    assert profile.values == {}


def test_values_of_fields_the_schema_lacks_are_refused_and_named() -> None:
    profile = member(master(), {})

    with pytest.raises(UnknownProfileFieldError) as raised:
        profile.set_values(master(), {"Email": "a@b.c", "full name": "x", "Shoe Size": "42"}, meta())

    assert raised.value.details == {"fields": ["Shoe Size", "full name"]}
    no_events(profile)


@pytest.mark.parametrize("value", [42, True, ["a"], "x" * 1001])
def test_a_value_that_is_not_a_short_string_is_refused(value: object) -> None:
    profile = member(master(), {})

    with pytest.raises(InvalidProfileValueError):
        profile.set_values(master(), {"Postcode": value}, meta())

    no_events(profile)


def test_profile_values_are_marked_as_personal_data() -> None:
    assert MemberProfile.PERSONAL_FIELDS == ("values",)
    assert set(MemberProfile.PERSONAL_FIELDS) <= set(MemberProfile.ValuesSet.__dataclass_fields__)


def test_the_command_sets_a_members_values_against_the_replaced_schema() -> None:
    ledger, organization_id, user_id = ledger_with_member()
    ledger.replace_profile_schema(context(), organization_id, [{"id": "Nickname", "type": "text"}])

    saved = ledger.set_member_profile(context(), organization_id, user_id, {"Nickname": "Ana"})

    assert saved.created
    assert saved.position is not None
    assert saved.value.values == {"Nickname": "Ana"}
    with pytest.raises(UnknownProfileFieldError):
        ledger.set_member_profile(context(), organization_id, user_id, {"Email": "ana@example.com"})
    member_profile = ledger.member_profile(organization_id, user_id)
    assert member_profile is not None
    assert member_profile.values == {"Nickname": "Ana"}


def test_setting_the_same_values_again_writes_nothing() -> None:
    ledger, organization_id, user_id = ledger_with_member()
    ledger.set_member_profile(context(), organization_id, user_id, {"Postcode": "SW1A 1AA"})

    again = ledger.set_member_profile(context(), organization_id, user_id, {"Postcode": "SW1A 1AA"})

    assert (again.created, again.position) == (False, None)


def test_replacing_the_schema_of_an_organization_registered_before_schemas_records_both() -> None:
    ledger = in_memory_ledger()
    organization = Organization.register("Old Club", "UTC", meta())
    ledger.save(organization)

    saved = ledger.replace_profile_schema(context(), organization.id, SEED_FIELDS[:2], name="Short")

    assert stored_types(ledger, profile_schema_id(organization.id)) == [
        ProfileSchema.Defined,
        ProfileSchema.Replaced,
    ]
    assert saved.value.field_ids == {"Full Name", "Email"}


def test_a_client_sets_the_profile_of_its_own_user_in_its_organization() -> None:
    ledger, organization_id, user_id = ledger_with_member()
    principal = client_principal(ledger, [organization_id], linked_user=user_id)

    saved = ledger.set_member_profile(context(principal), organization_id, user_id, {"Phone": "123"})

    assert saved.value.values == {"Phone": "123"}


@pytest.mark.parametrize("case", ["user-not-linked", "organization-not-granted"])
def test_a_client_may_not_set_other_profiles(case: str) -> None:
    ledger, organization_id, user_id = ledger_with_member()
    granted = [organization_id] if case == "user-not-linked" else []
    linked = user_id if case == "organization-not-granted" else None
    principal = client_principal(ledger, granted, linked_user=linked)

    with pytest.raises(ProfileAccessDeniedError):
        ledger.set_member_profile(context(principal), organization_id, user_id, {"Phone": "123"})

    assert ledger.member_profile(organization_id, user_id) is None


def test_setting_the_profile_of_an_unknown_user_is_not_found() -> None:
    ledger, organization_id, _ = ledger_with_member()

    with pytest.raises(UserNotFoundError):
        ledger.set_member_profile(context(), organization_id, UUID(int=77), {"Phone": "123"})
