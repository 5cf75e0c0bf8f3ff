"""Each client's mappings of one kind listed in registration order, in pages saved with the mappings."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from itertools import islice
from typing import Any, TypeVar
from uuid import UUID

from eventsourcing.domain import event

from domain.base import LedgerAggregate
from domain.caches import BoundedCache
from domain.client_mappings import ClientContextRequiredError
from domain.context import RequestContext
from domain.errors import InvalidInputError
from domain.ids import mapping_page_id
from domain.lookups import Lookups

MAX_LIMIT = 1000
T = TypeVar("T")


class InvalidPageError(InvalidInputError):
    """Raised when a list's limit is not from 1 to 1000 or its offset is negative."""


class MappingPage(LedgerAggregate):
    """One page of a client's list of mappings of a kind; the list is pages 0, 1, 2, ... read in order.

    A page is saved with every mapping it lists, so the list holds exactly the saved mappings, in the order
    their saves committed; an unfiltered list read replays one or two pages however long the list is.
    """

    class Opened(LedgerAggregate.Created):
        kind: str
        client_id: UUID
        number: int

    class Added(LedgerAggregate.Event):
        mapping_id: UUID

    @staticmethod
    def create_id(kind: str, client_id: UUID, number: int, **_: object) -> UUID:
        return mapping_page_id(kind, client_id, number)

    @event(Opened)
    def __init__(self, kind: str, client_id: UUID, number: int, meta: dict[str, str]) -> None:
        self.kind = kind
        self.client_id = client_id
        self.number = number
        self.mapping_ids: list[UUID] = []

    def add(self, mapping_id: UUID, meta: dict[str, str]) -> None:
        self._add(mapping_id=mapping_id, meta=meta)

    @event(Added)
    def _add(self, mapping_id: UUID, meta: dict[str, str]) -> None:
        self.mapping_ids.append(mapping_id)


def checked_page(limit: int, offset: int) -> tuple[int, int]:
    valid_limit = isinstance(limit, int) and not isinstance(limit, bool) and 1 <= limit <= MAX_LIMIT
    valid_offset = isinstance(offset, int) and not isinstance(offset, bool) and offset >= 0
    if not (valid_limit and valid_offset):
        raise InvalidPageError(f"limit must be from 1 to {MAX_LIMIT}, and offset 0 or more.")
    return limit, offset


class MappingLists(Lookups):
    """The calling client of mapping commands, and the paged lists of its mappings."""

    # Mappings per page: a page is replayed whole on each read, and a list read of `MAX_LIMIT` spans two.
    mapping_page_size: int = 1000

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Pages fill in order and never empty, so a page once seen full stays full: remember the first not
        # seen full, and a process reads each full page at most once to find where a list continues.
        self._open_pages: BoundedCache[int] = BoundedCache()

    def calling_client(self, ctx: RequestContext) -> UUID:
        """The id of the client that calls; mappings are kept per client, so only a client has them."""
        client_id = ctx.principal.client_id
        if client_id is None:
            raise ClientContextRequiredError("Only a client has mappings of its own external ids.")
        return client_id

    def listed(self, kind: str, client_id: UUID, mapping_id: UUID, meta: dict[str, str]) -> MappingPage:
        """The page that lists the new mapping next, with it added: save it with the mapping."""
        number = self._open_pages.get((kind, client_id)) or 0
        page = self.find(mapping_page_id(kind, client_id, number), MappingPage)
        while page is not None and len(page.mapping_ids) >= self.mapping_page_size:
            number += 1
            page = self.find(mapping_page_id(kind, client_id, number), MappingPage)
        self._open_pages.put((kind, client_id), number)
        if page is None:
            page = MappingPage(kind=kind, client_id=client_id, number=number, meta=meta)
        page.add(mapping_id, meta)
        return page

    def listed_page(
        self,
        kind: str,
        client_id: UUID,
        limit: int,
        offset: int,
        load: Callable[[UUID], T],
        keep: Callable[[T], bool] | None = None,
    ) -> list[T]:
        """Up to `limit` of the client's mappings, loaded, that `keep` accepts, after skipping `offset`."""
        limit, offset = checked_page(limit, offset)
        if keep is None:
            return [
                load(mapping_id) for mapping_id in islice(self._listed_ids(kind, client_id, offset), limit)
            ]
        loaded = (load(mapping_id) for mapping_id in self._listed_ids(kind, client_id, 0))
        return list(islice((item for item in loaded if keep(item)), offset, offset + limit))

    def _listed_ids(self, kind: str, client_id: UUID, start: int) -> Iterator[UUID]:
        """The ids the client's list holds from position `start` on, reading pages only as far as asked."""
        number, skip = divmod(start, self.mapping_page_size)
        while True:
            page = self.find(mapping_page_id(kind, client_id, number), MappingPage)
            if page is None:
                return
            yield from page.mapping_ids[skip:]
            if len(page.mapping_ids) < self.mapping_page_size:
                return
            number, skip = number + 1, 0
