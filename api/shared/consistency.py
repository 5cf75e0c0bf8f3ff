"""`consistentWith`: a list waits for its view to reach a ledger position, holding no worker thread."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Annotated, Any, Generic, TypeVar

import anyio
from fastapi import Header, Query, Request, Response
from starlette.concurrency import run_in_threadpool

from api.shared.deps import RuntimeDep
from api.shared.fair_share import stepped_aside
from api.shared.problems import ConsistencyWaitersBusyError, PositionBeyondHeadError
from ledger.runtime import Runtime
from projections.tables import TrackedView

log = logging.getLogger("ledger.api")
CONSISTENCY_HEADER = "X-Ledger-Consistency"
FIRST_PAUSE, LONGEST_PAUSE = 0.002, 0.05
R = TypeVar("R")


W = TypeVar("W")


class SharedPoll(Generic[W]):
    """Requests that wait for the database to show something, served by a single poll for all of them.

    Waiting is an asyncio future, so a waiting request holds no worker thread and no connection; the poll
    runs on a thread of its own (capacity one), so a busy worker pool does not starve it either. A new
    waiter is looked for at once, then ever more slowly while nothing it waits for appears. Subclasses say
    what one look is.
    """

    failure = "polling for waiting requests failed"

    def __init__(self, max_waiters: int) -> None:
        self.max_waiters = max_waiters
        self._waiters: list[W] = []
        self._poller: asyncio.Task[None] | None = None
        self._nudge = asyncio.Event()
        self._pause = FIRST_PAUSE
        self._thread = anyio.CapacityLimiter(1)

    @property
    def waiting(self) -> int:
        return len(self._waiters)

    async def _look(self) -> None:
        """Read what the waiters wait for once, and wake those whose wait is over."""
        raise NotImplementedError

    async def _in_thread(self, function: Callable[..., R], *args: Any) -> R:
        return await anyio.to_thread.run_sync(function, *args, limiter=self._thread)

    def _wake(self) -> None:
        self._pause = FIRST_PAUSE
        if self._poller is None or self._poller.done():
            self._poller = asyncio.get_running_loop().create_task(self._poll())
        else:
            self._nudge.set()

    async def _poll(self) -> None:
        while self._waiters:
            self._nudge.clear()
            try:
                await self._look()
            except Exception as error:  # the database is away: the waiters time out and say so
                log.warning("%s: %s", self.failure, type(error).__name__)
            if not self._waiters:
                return
            try:
                async with asyncio.timeout(self._pause):
                    await self._nudge.wait()
            except TimeoutError:
                self._pause = min(self._pause * 2, LONGEST_PAUSE)


class PositionWatcher(SharedPoll[tuple[int, "asyncio.Future[bool]"]]):
    """Wakes the requests waiting for one view's position; a single poll of the view serves all of them."""

    failure = "reading a view's position failed"

    def __init__(self, read_position: Callable[[], int], max_waiters: int) -> None:
        super().__init__(max_waiters)
        self.read_position = read_position
        self.position = 0

    async def wait_for(self, wanted: int, timeout: float) -> bool:
        """True once the view has reached `wanted`; False when `timeout` seconds passed first."""
        if wanted <= self.position:
            return True
        if len(self._waiters) >= self.max_waiters:
            raise ConsistencyWaitersBusyError("Too many requests are waiting for a view; retry shortly.")
        reached: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        entry = (wanted, reached)
        self._waiters.append(entry)
        self._wake()
        try:
            async with asyncio.timeout(timeout):
                return await reached
        except TimeoutError:
            return False
        finally:
            self._waiters.remove(entry)

    async def _look(self) -> None:
        self._advance(await self._in_thread(self.read_position))

    def _advance(self, position: int) -> None:
        self.position = max(self.position, position)
        for wanted, future in self._waiters:
            if wanted <= self.position and not future.done():
                future.set_result(True)


class ViewWaits:
    """The app's position watchers, one per view, created in the event loop on first use; how long to wait."""

    def __init__(self, wait_seconds: float, max_waiters: int) -> None:
        self.wait_seconds = wait_seconds
        self.max_waiters = max_waiters
        self._watchers: dict[int, PositionWatcher] = {}

    def watcher(self, view: TrackedView) -> PositionWatcher:
        if id(view) not in self._watchers:
            self._watchers[id(view)] = PositionWatcher(view.position, self.max_waiters)
        return self._watchers[id(view)]


def consistent_with(view_of: Callable[[Runtime], TrackedView]) -> Callable[..., Awaitable[bool | None]]:
    """The dependency of a list endpoint that reads the view `view_of` gives: waits for `consistentWith`.

    It answers None without the parameter, else whether the view reached the position in time, and says
    so in X-Ledger-Consistency (`reached` or `timed-out`). A position past the log's head is a 400.
    """

    async def dependency(
        request: Request,
        response: Response,
        runtime: RuntimeDep,
        consistentWith: Annotated[
            int | None, Query(ge=0, description="Wait until the view has this ledger position.")
        ] = None,
        consistent_with_header: Annotated[
            int | None,
            Header(alias="X-Ledger-Consistent-With", ge=0, description="The same as `consistentWith`."),
        ] = None,
    ) -> bool | None:
        wanted = consistentWith if consistentWith is not None else consistent_with_header
        if wanted is None:
            return None
        waits: ViewWaits = request.app.state.view_waits
        watcher = waits.watcher(view_of(runtime))
        if wanted > watcher.position:
            head = await run_in_threadpool(runtime.ledger.recorder.max_notification_id) or 0
            if wanted > head:
                parameter = "consistentWith" if consistentWith is not None else "X-Ledger-Consistent-With"
                raise PositionBeyondHeadError(parameter, wanted, head)
        reached = wanted <= watcher.position
        if not reached:
            async with stepped_aside(request.scope):
                reached = await watcher.wait_for(wanted, waits.wait_seconds)
        response.headers[CONSISTENCY_HEADER] = "reached" if reached else "timed-out"
        return reached

    return dependency
