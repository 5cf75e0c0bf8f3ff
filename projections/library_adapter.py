"""The one place that reaches past eventsourcing's public API: the projection runner's event loop.

eventsourcing 9.5 has no public way to take the events that a subscription has fetched already without
blocking, nor to replace its runner's loop of one `process_event()` per event. Both are reached here, and
`library_problems()` (run by a test) names the installed version when an upgrade moves what this relies on.
"""

from __future__ import annotations

import inspect
import threading
import weakref
from collections.abc import Iterator
from importlib.metadata import version
from typing import Any, Generic, TypeVar

from eventsourcing.domain import DomainEventProtocol
from eventsourcing.persistence import ListenNotifySubscription, TrackingRecorder
from eventsourcing.postgres import PostgresSubscription
from eventsourcing.projection import (
    ApplicationSubscription,
    BaseProjectionRunner,
    EventSourcedProjection,
    Projection,
    ProjectionRunner,
)

LIBRARY = "eventsourcing"
TApplication = TypeVar("TApplication")
TView = TypeVar("TView", bound=TrackingRecorder)
Event = tuple[DomainEventProtocol[Any], int]
"""An event and its position in the log."""


class LibraryMismatchError(RuntimeError):
    """Raised when the installed eventsourcing lacks an internal that this adapter relies on."""


def library_version() -> str:
    return version(LIBRARY)


def _mismatch(what: str) -> LibraryMismatchError:
    return LibraryMismatchError(
        f"{LIBRARY} {library_version()} changed {what}; projections/library_adapter.py relies on it "
        "(written against 9.5) and needs updating."
    )


class SubscriptionEvents:
    """A runner's subscription as events: iterating waits for the next one; `fetched()` never waits."""

    def __init__(self, subscription: ApplicationSubscription[Any]) -> None:
        self._subscription = subscription
        self._prefetched: object = None

    def __iter__(self) -> Iterator[Event]:
        for domain_event, tracking in self._subscription:
            self._prefetch()
            yield domain_event, tracking.notification_id

    def fetched(self, limit: int) -> list[Event]:
        """Up to `limit` events that the subscription holds in memory already, taken without blocking."""
        taken: list[Event] = []
        while len(taken) < limit and self._has_fetched():
            self._prefetch()
            domain_event, tracking = next(self._subscription)
            taken.append((domain_event, tracking.notification_id))
        return taken

    def _prefetch(self) -> None:
        """Let the mapper prepare for the page the subscription pulled (it opens their data keys at once)."""
        prefetch = getattr(self._subscription.mapper, "prefetch", None)
        page = getattr(self._subscription.subscription, "_notifications", None)
        if callable(prefetch) and page is not None and page is not self._prefetched:
            self._prefetched = page
            prefetch(page[getattr(self._subscription.subscription, "_notifications_index", 0) :])

    def _has_fetched(self) -> bool:
        inner = self._subscription.subscription
        try:
            # ListenNotifySubscription keeps the page it pulled and its index into it (eventsourcing 9.5).
            return bool(inner._notifications_index < len(inner._notifications))  # type: ignore[attr-defined]
        except AttributeError:
            raise _mismatch("ListenNotifySubscription's _notifications and _notifications_index") from None


class HookedProjectionRunner(ProjectionRunner[TApplication, TView], Generic[TApplication, TView]):
    """The library's runner, whose processing thread hands the subscription's events to `consume`."""

    @classmethod
    def consume(cls, events: SubscriptionEvents, projection: Projection[Any]) -> None:
        """Process the events until the subscription stops; an error stops the runner and is re-raised."""
        raise NotImplementedError

    # The library starts its processing thread on this private static method, with these keyword arguments.
    @classmethod
    def _process_events_loop(
        cls,
        subscription: ApplicationSubscription[Any],
        projection: Projection[Any] | EventSourcedProjection[Any],
        is_stopping: threading.Event,
        runner: weakref.ReferenceType[Any],
    ) -> None:
        try:
            if not isinstance(projection, Projection):
                raise TypeError("Only a Projection with a view can be run by this runner.")
            cls.consume(SubscriptionEvents(subscription), projection)
        except BaseException as error:
            live_runner = runner()
            if live_runner is not None:
                # run_forever() and __exit__() re-raise the processing thread's error from this attribute.
                live_runner._thread_error = error
        finally:
            is_stopping.set()


def library_problems() -> list[str]:
    """What this module relies on that the installed eventsourcing no longer has (empty: all is there)."""
    problems: list[str] = []
    loop = getattr(BaseProjectionRunner, "_process_events_loop", None)
    if loop is None:
        problems.append("BaseProjectionRunner._process_events_loop is gone")
    elif list(inspect.signature(loop).parameters) != ["subscription", "projection", "is_stopping", "runner"]:
        problems.append(f"BaseProjectionRunner._process_events_loop takes {inspect.signature(loop)}")
    sources = {
        "ApplicationSubscription.__init__": (
            inspect.getsource(ApplicationSubscription.__init__),
            "self.subscription = self.recorder.subscribe(",
        ),
        "BaseProjectionRunner.__init__": (
            inspect.getsource(BaseProjectionRunner.__init__),
            "_process_events_loop",
        ),
        "BaseProjectionRunner.run_forever": (
            inspect.getsource(BaseProjectionRunner.run_forever),
            "_thread_error",
        ),
        "ListenNotifySubscription.__next__ (_notifications)": (
            inspect.getsource(ListenNotifySubscription.__next__),
            "self._notifications[self._notifications_index]",
        ),
    }
    for where, (source, needed) in sources.items():
        if needed not in source:
            problems.append(f"{where} no longer uses {needed}")
    if not issubclass(PostgresSubscription, ListenNotifySubscription):
        problems.append("PostgresSubscription is no longer a ListenNotifySubscription")
    return [f"{LIBRARY} {library_version()}: {problem}" for problem in problems]
