"""Long-polling the feed: requests wait for their client's next change, holding no thread or connection."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from uuid import UUID

from api.shared.consistency import SharedPoll
from api.shared.problems import ConsistencyWaitersBusyError
from projections.changes.view import ChangesView


@dataclass(eq=False)
class _Waiter:
    client_id: UUID
    after: int
    woken: asyncio.Future[bool] = field(default_factory=lambda: asyncio.get_running_loop().create_future())


class ChangeWatcher(SharedPoll[_Waiter]):
    """Wakes the feed requests whose client has a change past the position they saw.

    Each look reads the view's position and, when that moved, asks once which clients changed in the new
    range (an index range on position), then wakes only their waiters.
    """

    failure = "looking for changes failed"

    def __init__(self, view: ChangesView, max_waiters: int) -> None:
        super().__init__(max_waiters)
        self.view = view
        self.checked: int | None = None
        """The position up to which changed clients were looked for."""
        self._rewind: int | None = None
        """The lowest position a waiter registered with that lies before `checked`."""

    async def wait_for(self, client_id: UUID, after: int, timeout: float) -> bool:
        """True once the client has a change after position `after`; False when `timeout` passed first."""
        if len(self._waiters) >= self.max_waiters:
            raise ConsistencyWaitersBusyError("Too many requests are waiting for changes; retry shortly.")
        waiter = _Waiter(client_id, after)
        self._waiters.append(waiter)
        if self.checked is None or after < self.checked:
            self._rewind = after if self._rewind is None else min(self._rewind, after)
        self._wake()
        try:
            async with asyncio.timeout(timeout):
                return await waiter.woken
        except TimeoutError:
            return False
        finally:
            self._waiters.remove(waiter)

    async def _look(self) -> None:
        rewind, self._rewind = self._rewind, None
        try:
            position = await self._in_thread(self.view.position)
            starts = [mark for mark in (self.checked, rewind) if mark is not None]
            start = min(starts) if starts else position
            if position > start:
                self._wake_changed(await self._in_thread(self.view.clients_changed, start, position))
        except Exception:
            if rewind is not None:  # look at that range again next time
                self._rewind = rewind if self._rewind is None else min(self._rewind, rewind)
            raise
        self.checked = position if self.checked is None else max(self.checked, position)

    def _wake_changed(self, changed: dict[UUID, int]) -> None:
        for waiter in self._waiters:
            last = changed.get(waiter.client_id)
            if last is not None and last > waiter.after and not waiter.woken.done():
                waiter.woken.set_result(True)


class ChangeWaits:
    """The app's change watcher, created in the event loop on first use, on the runtime's changes view."""

    def __init__(self, max_waiters: int) -> None:
        self.max_waiters = max_waiters
        self._watcher: ChangeWatcher | None = None

    def watcher(self, view: ChangesView) -> ChangeWatcher:
        if self._watcher is None or self._watcher.view is not view:
            self._watcher = ChangeWatcher(view, self.max_waiters)
        return self._watcher
