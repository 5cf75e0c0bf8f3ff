"""Processes starting together on a new database: each opens the ledger; none trips on the others' tables."""

from __future__ import annotations

import threading

from ledger.runtime import open_runtime
from ledger.settings import Settings
from projections.registry import VIEWS

STARTERS = 4


def test_ledgers_opening_together_on_a_new_schema_all_open_it_with_every_view(own_settings: Settings) -> None:
    barrier = threading.Barrier(STARTERS)
    opened: list[set[str]] = []
    failures: list[BaseException] = []

    def start() -> None:
        barrier.wait()
        try:
            with open_runtime(own_settings, run_projections=False, announce=lambda _: None) as runtime:
                opened.append(set(runtime.views))
        except BaseException as error:  # the test reports every starter's failure
            failures.append(error)

    starters = [threading.Thread(target=start) for _ in range(STARTERS)]
    for starter in starters:
        starter.start()
    for starter in starters:
        starter.join(timeout=120)

    assert failures == []
    assert opened == [{view.name for view in VIEWS}] * STARTERS
