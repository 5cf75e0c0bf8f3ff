"""The eventsourcing internals that the projection runner relies on are still there, or a test says which."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any, cast

import pytest
from eventsourcing.projection import BaseProjectionRunner

from projections.library_adapter import (
    LibraryMismatchError,
    SubscriptionEvents,
    library_problems,
    library_version,
)


def test_the_installed_eventsourcing_has_what_the_batching_runner_relies_on() -> None:
    problems = library_problems()

    assert problems == [], "\n".join(["projections/library_adapter.py needs updating:", *problems])


def test_a_library_whose_runner_loop_is_gone_is_reported_with_its_version(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delattr(BaseProjectionRunner, "_process_events_loop")

    problems = library_problems()

    assert problems == [
        f"eventsourcing {library_version()}: BaseProjectionRunner._process_events_loop is gone"
    ]


def test_a_subscription_without_its_fetched_page_fails_loudly_naming_the_version() -> None:
    changed = cast(Any, SimpleNamespace(subscription=SimpleNamespace()))

    with pytest.raises(LibraryMismatchError, match=f"eventsourcing {library_version()} changed"):
        SubscriptionEvents(changed).fetched(10)
