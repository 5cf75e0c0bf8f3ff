"""A user's clients, saved with each link: complete under racing links, completed by linking again."""

from __future__ import annotations

import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from uuid import UUID

from domain.app_base import Saved
from domain.client import ClientUserLink
from domain.coach_event import CoachEvent
from domain.context import ADMIN, Principal, RequestContext
from ledger.runtime import Runtime
from tests.support import random_day
from tests.unit.test_coach_event import timeslot

RACERS = 8


def admin(runtime: Runtime) -> RequestContext:
    return RequestContext(ADMIN, runtime.clock(), f"test-{uuid.uuid4().hex}")


def new_client(runtime: Runtime, *organization_ids: UUID) -> Principal:
    """A fresh client granted `organization_ids`, as the principal its API keys authenticate to."""
    client = runtime.ledger.create_client(admin(runtime), "Partner", ["orders:write"], list(organization_ids))
    return Principal(
        id=str(client.value.id),
        kind="client",
        scopes=frozenset(client.value.scopes),
        organization_ids=frozenset(client.value.organization_ids),
    )


def new_user(runtime: Runtime) -> UUID:
    email = f"user-{uuid.uuid4().hex[:10]}@example.com"
    return runtime.ledger.create_user(admin(runtime), email, None, None).value.id


def client_id(principal: Principal) -> UUID:
    assert principal.client_id is not None
    return principal.client_id


def race_links(runtime: Runtime, links: list[tuple[UUID, UUID]]) -> list[Saved[ClientUserLink]]:
    """Link each (client, user) pair at once, one thread each, released together."""
    start = threading.Barrier(len(links))

    def link(pair: tuple[UUID, UUID]) -> Saved[ClientUserLink]:
        start.wait()
        return runtime.ledger.link_user(admin(runtime), *pair)

    with ThreadPoolExecutor(len(links)) as pool:
        return list(pool.map(link, links))


def test_racing_links_of_one_user_to_many_clients_keep_every_client(runtime: Runtime) -> None:
    clients = [client_id(new_client(runtime)) for _ in range(RACERS)]
    user_id = new_user(runtime)

    results = race_links(runtime, [(client, user_id) for client in clients])

    assert all(result.created for result in results)
    assert sorted(runtime.ledger.clients_of_user(user_id), key=str) == sorted(clients, key=str)
    assert all(runtime.ledger.is_user_linked(client, user_id) for client in clients)


def test_racing_the_same_link_creates_it_once(runtime: Runtime) -> None:
    client = client_id(new_client(runtime))
    user_id = new_user(runtime)

    results = race_links(runtime, [(client, user_id)] * RACERS)

    assert sum(result.created for result in results) == 1
    assert runtime.ledger.clients_of_user(user_id) == [client]


def test_linking_again_completes_a_link_made_before_a_users_clients_were_kept(runtime: Runtime) -> None:
    organization = runtime.ledger.create_organization(admin(runtime), "Club", "UTC").value.id
    coachs_client, colleague = new_client(runtime, organization), new_client(runtime, organization)
    coach = new_user(runtime)
    # A link as it was saved before: the link alone.
    runtime.ledger.save(
        ClientUserLink(client_id=client_id(coachs_client), user_id=coach, meta=admin(runtime).meta())
    )
    event = scheduled_event(runtime, coach)

    before = (
        runtime.ledger.may_see_event(coachs_client, event),
        runtime.ledger.may_see_event(colleague, event),
    )
    again = runtime.ledger.link_user(admin(runtime), client_id(coachs_client), coach)
    after = runtime.ledger.may_see_event(colleague, event)

    assert before == (True, False)
    assert not again.created
    assert runtime.ledger.clients_of_user(coach) == [client_id(coachs_client)]
    assert after is True


def scheduled_event(runtime: Runtime, coach: UUID) -> CoachEvent:
    """A fresh event of the coach, in no organization."""
    start = random_day() + timedelta(hours=9)
    saved = runtime.ledger.schedule_coach_event(
        admin(runtime), coach, uuid.uuid4(), start, start + timedelta(hours=1), None, timeslot()
    )
    return saved.value
