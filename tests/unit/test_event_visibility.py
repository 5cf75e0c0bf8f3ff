"""The tenancy rule of coach events: which events a client may see, and so order seats in and list."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from uuid import UUID

from domain.coach_event import CoachEvent
from domain.context import ADMIN, Principal
from domain.event_visibility import client_may_see_event
from tests.unit.events import given, meta
from tests.unit.test_coach_event import timeslot

COACH, SPORT = UUID(int=1), UUID(int=2)
OURS, THEIRS, ELSEWHERE = UUID(int=31), UUID(int=32), UUID(int=33)
START = datetime(2030, 1, 10, 10, tzinfo=UTC)


def client(*organization_ids: UUID, scopes: frozenset[str] = frozenset({"orders:write"})) -> Principal:
    return Principal(
        id=str(UUID(int=41)), kind="client", scopes=scopes, organization_ids=frozenset(organization_ids)
    )


def event_in(organization_id: UUID | None) -> CoachEvent:
    """Given: a coach event in `organization_id` (None: in none), its events saved."""
    return given(
        CoachEvent.schedule(
            COACH, SPORT, START, START + timedelta(hours=1), None, timeslot(), meta(), organization_id
        )
    )


def test_a_client_sees_an_event_of_an_organization_granted_to_it() -> None:
    assert client_may_see_event(client(THEIRS, OURS), event_in(OURS), [])


def test_a_client_does_not_see_an_event_of_an_organization_not_granted_to_it() -> None:
    assert not client_may_see_event(client(OURS), event_in(THEIRS), [])


def test_an_events_own_organization_wins_over_the_organizations_of_its_coachs_clients() -> None:
    assert not client_may_see_event(client(OURS), event_in(THEIRS), [frozenset({OURS})])


def test_an_event_without_an_organization_is_seen_by_a_client_sharing_one_with_a_client_of_its_coach() -> (
    None
):
    coach_clients = [frozenset({ELSEWHERE}), frozenset({THEIRS, OURS})]

    assert client_may_see_event(client(OURS), event_in(None), coach_clients)


def test_an_event_without_an_organization_is_not_seen_by_a_client_sharing_none_with_its_coachs_clients() -> (
    None
):
    coach_clients = [frozenset({ELSEWHERE}), frozenset({THEIRS})]

    assert not client_may_see_event(client(OURS), event_in(None), coach_clients)


def test_an_event_without_an_organization_whose_coach_has_no_client_is_seen_by_no_client() -> None:
    assert not client_may_see_event(client(OURS), event_in(None), [])


def test_a_client_granted_no_organization_sees_no_event_without_one() -> None:
    assert not client_may_see_event(client(), event_in(None), [frozenset(), frozenset({OURS})])


def test_the_admin_and_clients_with_the_admin_scope_see_every_event() -> None:
    admin_client = client(scopes=frozenset({"admin"}))

    for principal in (ADMIN, admin_client):
        assert client_may_see_event(principal, event_in(THEIRS), [])
        assert client_may_see_event(principal, event_in(None), [])


def test_the_coachs_clients_are_read_only_until_one_shares_an_organization() -> None:
    read: list[str] = []

    def coach_clients() -> Iterator[frozenset[UUID]]:
        for name, granted in (("first", frozenset({THEIRS})), ("second", frozenset({OURS})), ("third", None)):
            read.append(name)
            if granted is None:
                raise AssertionError("read past the first shared organization")
            yield granted

    assert client_may_see_event(client(OURS), event_in(None), coach_clients())
    assert read == ["first", "second"]


def test_an_event_in_an_organization_does_not_read_its_coachs_clients() -> None:
    def coach_clients() -> Iterator[frozenset[UUID]]:
        raise AssertionError("the coach's clients were read")
        yield frozenset()  # pragma: no cover - makes this a generator

    assert client_may_see_event(client(OURS), event_in(OURS), coach_clients())
