"""Client mappings on PostgreSQL: racing registrations make one user and one mapping each; tenants apart."""

from __future__ import annotations

import random
import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TypeVar
from uuid import UUID

import pytest
from eventsourcing.utils import get_topic

from domain.app_base import Saved
from domain.client_mappings import AlreadyMappedError, ResourceMappingNotFoundError
from domain.context import ADMIN, Principal, RequestContext
from domain.errors import ConcurrencyExhaustedError, LedgerError
from domain.ids import user_email_id
from domain.organization import Resource, ResourceNotFoundError, Venue, VenueNotFoundError
from domain.place_mappings import MappedResource
from domain.user import User, UserEmail
from domain.user_mapping_commands import UserMappingNotFoundError, UserRegistration
from domain.venue_mappings import VenueMappingNotApprovedError, VenueMappingNotFoundError
from ledger.runtime import Runtime
from tests.racing import CONTENTION_RESENDS

RACERS = 10
T = TypeVar("T")


def admin(runtime: Runtime) -> RequestContext:
    return RequestContext(ADMIN, runtime.clock(), f"test-{uuid.uuid4().hex}")


@dataclass
class Tenant:
    """A client granted one organization with a venue and a court, and its request context."""

    venue: Venue
    court: Resource
    ctx: RequestContext


def new_tenant(runtime: Runtime) -> Tenant:
    ledger, ctx = runtime.ledger, admin(runtime)
    organization = ledger.create_organization(ctx, f"Club {uuid.uuid4().hex[:8]}", "Europe/Berlin").value
    venue = ledger.create_venue(ctx, organization.id, "Sports Center", "Munich", None).value
    court = ledger.create_court(ctx, venue.id, "Court 1").value
    client = ledger.create_client(ctx, "Partner", ["court-bookings:read"], [organization.id]).value
    principal = Principal(str(client.id), "client", frozenset(client.scopes), frozenset([organization.id]))
    return Tenant(venue, court, RequestContext(principal, runtime.clock(), f"test-{uuid.uuid4().hex}"))


def race(calls: list[Callable[[], T]]) -> list[T | LedgerError]:
    """Run every call at once, released together; a call that ran out of retries is sent again, as a
    partner resends after a write-contention answer. One outcome per call: its result or its refusal."""
    start = threading.Barrier(len(calls))

    def run(call: Callable[[], T]) -> T | LedgerError:
        start.wait()
        for _ in range(CONTENTION_RESENDS):
            try:
                return call()
            except ConcurrencyExhaustedError:
                time.sleep(random.uniform(0.01, 0.1))
            except LedgerError as refused:
                return refused
        return call()

    with ThreadPoolExecutor(len(calls)) as pool:
        return list(pool.map(run, calls))


def succeeded(outcomes: list[T | LedgerError]) -> list[T]:
    refused = [outcome for outcome in outcomes if isinstance(outcome, LedgerError)]
    assert not refused, refused
    return [outcome for outcome in outcomes if not isinstance(outcome, LedgerError)]


def users_registered_with(runtime: Runtime, email: str) -> list[UUID]:
    """Every user whose registration on the log carries the email."""
    notifications = runtime.ledger.recorder.select_notifications(
        start=None, limit=1_000_000, topics=[get_topic(User.Registered)]
    )
    registered = [runtime.ledger.mapper.to_domain_event(notification) for notification in notifications]
    return [event.originator_id for event in registered if getattr(event, "email", None) == email]


def test_racing_registrations_of_one_external_id_make_one_user_and_one_mapping(runtime: Runtime) -> None:
    tenant = new_tenant(runtime)
    email = f"racer-{uuid.uuid4().hex[:8]}@example.com"

    def register() -> Saved[UserRegistration]:
        return runtime.ledger.register_client_user(tenant.ctx, "racing-user", email, "Ra", "Cer")

    registrations = [saved.value for saved in succeeded(race([register] * RACERS))]
    assert sum(r.mapping_created for r in registrations) == 1
    assert sum(r.created for r in registrations) == 1
    assert len({r.mapped.mapping.id for r in registrations}) == 1
    [user_id] = {r.mapped.user.id for r in registrations}
    assert users_registered_with(runtime, email) == [user_id]
    listed = runtime.ledger.list_client_users(tenant.ctx)
    assert [(m.mapping.external_id, m.user.id) for m in listed] == [("racing-user", user_id)]
    assert runtime.ledger.clients_of_user(user_id) == [tenant.ctx.principal.client_id]


def test_racing_registrations_of_one_email_under_different_external_ids_make_one_user(
    runtime: Runtime,
) -> None:
    tenant = new_tenant(runtime)
    email = f"shared-{uuid.uuid4().hex[:8]}@example.com"
    external_ids = [f"member-{index}" for index in range(RACERS)]

    def register(external_id: str) -> Callable[[], Saved[UserRegistration]]:
        return lambda: runtime.ledger.register_client_user(tenant.ctx, external_id, email)

    registrations = [saved.value for saved in succeeded(race([register(e) for e in external_ids]))]
    assert all(r.mapping_created for r in registrations)
    assert sum(r.created for r in registrations) == 1
    [user_id] = {r.mapped.user.id for r in registrations}
    assert users_registered_with(runtime, email) == [user_id]
    listed = runtime.ledger.list_client_users(tenant.ctx, limit=1000)
    assert sorted(m.mapping.external_id for m in listed) == external_ids
    assert {m.user.id for m in listed} == {user_id}
    assert runtime.ledger.clients_of_user(user_id) == [tenant.ctx.principal.client_id]


def test_racing_external_ids_for_one_resource_leave_it_one(runtime: Runtime) -> None:
    tenant = new_tenant(runtime)

    def register(external_id: str) -> Callable[[], Saved[MappedResource]]:
        return lambda: runtime.ledger.register_client_resource(tenant.ctx, external_id, tenant.court.id)

    outcomes = race([register(f"pitch-{index}") for index in range(RACERS)])

    winners = [outcome for outcome in outcomes if not isinstance(outcome, LedgerError)]
    assert len(winners) == 1
    assert all(isinstance(outcome, AlreadyMappedError) for outcome in outcomes if outcome not in winners)
    winner = runtime.ledger.resource_external_id(tenant.ctx, tenant.court.id)
    assert [m.mapping.external_id for m in runtime.ledger.list_client_resources(tenant.ctx)] == [winner]


def test_racing_creations_of_users_with_one_email_leave_one_found_by_it(runtime: Runtime) -> None:
    email = f"dup-{uuid.uuid4().hex[:8]}@example.com"

    def create() -> Saved[User]:
        return runtime.ledger.create_user(admin(runtime), email, None, None)

    created = {saved.value.id for saved in succeeded(race([create] * 4))}
    indexed = runtime.ledger.find(user_email_id(email), UserEmail)
    assert len(created) == 4
    assert indexed is not None
    assert indexed.user_id in created


def test_one_clients_mappings_are_invisible_to_another_client(runtime: Runtime) -> None:
    mine, theirs = new_tenant(runtime), new_tenant(runtime)
    ledger = runtime.ledger
    user = ledger.register_client_user(mine.ctx, "user-1", f"u-{uuid.uuid4().hex[:8]}@example.com").value
    ledger.register_client_resource(mine.ctx, "pitch-1", mine.court.number or 0)
    ledger.register_client_venue(mine.ctx, "venue-1", mine.venue.number or 0)

    with pytest.raises(UserMappingNotFoundError):
        ledger.lookup_client_user(theirs.ctx, "user-1")
    with pytest.raises(UserMappingNotFoundError):
        ledger.resolve_client_user(theirs.ctx, user_id=user.mapped.user.id)
    with pytest.raises(ResourceMappingNotFoundError):
        ledger.lookup_client_resource(theirs.ctx, "pitch-1")
    with pytest.raises(VenueMappingNotFoundError):
        ledger.lookup_client_venue(theirs.ctx, "venue-1")
    with pytest.raises(ResourceNotFoundError):
        ledger.register_client_resource(theirs.ctx, "pitch-1", mine.court.id)
    with pytest.raises(VenueNotFoundError):
        ledger.register_client_venue(theirs.ctx, "venue-1", str(mine.venue.number))
    assert ledger.list_client_users(theirs.ctx) == []
    assert ledger.list_client_resources(theirs.ctx) == []
    assert ledger.list_client_venues(theirs.ctx) == []


def test_a_mapped_resource_becomes_bookable_when_its_venue_mapping_is_approved(runtime: Runtime) -> None:
    tenant, ledger = new_tenant(runtime), runtime.ledger
    marker_like = {"_type_": "uuid_hex", "_data_": "00000000000000000000000000000001", "nested": {"a": [1.5]}}
    ledger.register_client_resource(tenant.ctx, "pitch-123", str(tenant.court.id), marker_like)
    venue_mapping = ledger.register_client_venue(tenant.ctx, "venue-456", tenant.venue.id).value.mapping

    with pytest.raises(VenueMappingNotApprovedError):
        ledger.bookable_resource_for_client(tenant.ctx, "pitch-123")
    ledger.approve_venue_mapping(admin(runtime), str(venue_mapping.id))
    bookable = ledger.bookable_resource_for_client(tenant.ctx, "pitch-123")

    assert bookable.mapped.resource.id == tenant.court.id
    assert bookable.mapped.mapping.external_data == marker_like
    assert bookable.venue_mapping.approval_status == "approved"
    assert [m.mapping.external_id for m in ledger.list_client_venues(tenant.ctx, "approved")] == ["venue-456"]
