"""Which resources a venue holds: an index saved with the venue and with every resource created in it."""

from __future__ import annotations

from collections.abc import Iterable
from uuid import UUID

from eventsourcing.domain import event
from eventsourcing.utils import get_topic

from domain.base import LedgerAggregate
from domain.context import RequestContext
from domain.ids import venue_resources_id
from domain.lookups import Lookups
from domain.organization import Resource, ResourceNotFoundError

# Notifications read per query while a venue's index is built from the log.
LOG_BATCH = 1000


class VenueResources(LedgerAggregate):
    """The resources of one venue in the order they were created; its id is derived from the venue.

    A new venue is saved with an empty index and each new resource with the index of its venue, so the index
    lists exactly the venue's saved resources; two resources created at once race on its version.
    """

    class Started(LedgerAggregate.Created):
        venue_id: UUID
        resource_ids: list[UUID]

    class ResourceAdded(LedgerAggregate.Event):
        resource_id: UUID

    @staticmethod
    def create_id(venue_id: UUID, **_: object) -> UUID:
        return venue_resources_id(venue_id)

    @classmethod
    def start(cls, venue_id: UUID, resource_ids: Iterable[UUID], meta: dict[str, str]) -> VenueResources:
        """The index of a venue, starting with the resources it already has (none for a new venue)."""
        return cls(venue_id=venue_id, resource_ids=list(dict.fromkeys(resource_ids)), meta=meta)

    @event(Started)
    def __init__(self, venue_id: UUID, resource_ids: list[UUID], meta: dict[str, str]) -> None:
        self.venue_id = venue_id
        self.resource_ids = list(resource_ids)

    def add(self, resource_id: UUID, meta: dict[str, str]) -> bool:
        """List the resource; records nothing, and answers False, when it is listed already."""
        if resource_id in self.resource_ids:
            return False
        self._add(resource_id=resource_id, meta=meta)
        return True

    @event(ResourceAdded)
    def _add(self, resource_id: UUID, meta: dict[str, str]) -> None:
        self.resource_ids.append(resource_id)


class VenueResourceIndex(Lookups):
    """The resources of a venue, read from its index; a venue saved before the index existed gets one, built
    once from the registrations of resources that the log records."""

    def venue_index_started(self, venue_id: UUID, meta: dict[str, str]) -> VenueResources:
        """The empty index of a new venue: save it with the venue."""
        return VenueResources.start(venue_id, [], meta)

    def venue_index_with(self, venue_id: UUID, resource_id: UUID, meta: dict[str, str]) -> VenueResources:
        """The venue's index with the new resource listed: save it with the resource."""
        index = self.find(venue_resources_id(venue_id), VenueResources)
        if index is None:
            index = VenueResources.start(venue_id, self._registered_in_log(venue_id), meta)
        index.add(resource_id, meta)
        return index

    def venue_resource_ids(self, ctx: RequestContext, venue_id: UUID) -> list[UUID]:
        """The ids of the venue's resources in creation order; builds and saves the index if it is missing."""

        def attempt() -> list[UUID]:
            index = self.find(venue_resources_id(venue_id), VenueResources)
            if index is None:
                index = VenueResources.start(venue_id, self._registered_in_log(venue_id), ctx.meta())
                # Saved, so the log is scanned once per venue; a resource created meanwhile makes this
                # save lose on the index's version, and the retry reads the index that resource saved.
                self.save_all(index)
            return list(index.resource_ids)

        return self.with_retry(attempt)

    def venue_resources(self, ctx: RequestContext, venue_id: UUID) -> list[Resource]:
        """The venue's resources in creation order."""
        return [
            self.load(resource_id, Resource, ResourceNotFoundError, "Resource")
            for resource_id in self.venue_resource_ids(ctx, venue_id)
        ]

    def _registered_in_log(self, venue_id: UUID) -> list[UUID]:
        """The resources whose registration on the log names the venue, in log order."""
        topic = get_topic(Resource.Registered)
        found: list[UUID] = []
        start: int | None = None
        while True:
            batch = self.recorder.select_notifications(
                start, LOG_BATCH, topics=[topic], inclusive_of_start=start is None
            )
            for notification in batch:
                registered = self.mapper.to_domain_event(notification)
                if getattr(registered, "venue_id", None) == venue_id:
                    found.append(registered.originator_id)
            if len(batch) < LOG_BATCH:
                return found
            start = batch[-1].id
