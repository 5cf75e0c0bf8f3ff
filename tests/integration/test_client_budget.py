"""Clients' request budgets in PostgreSQL: racing takers get exactly the burst, refills follow the rate."""

from __future__ import annotations

import threading
import uuid

from ledger.runtime import Runtime

BURST = 50
TAKERS = 16
TAKES = 10


def test_racing_takers_of_one_client_get_exactly_its_burst(runtime: Runtime) -> None:
    budget = runtime.client_budget(rate=0.0001, burst=BURST)
    key = f"client-{uuid.uuid4()}"
    granted: list[bool] = []
    guard = threading.Lock()
    start = threading.Barrier(TAKERS)

    def taker() -> None:
        start.wait()
        for _ in range(TAKES):
            taken = budget.take(key) == 0
            with guard:
                granted.append(taken)

    threads = [threading.Thread(target=taker) for _ in range(TAKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert granted.count(True) == BURST
    assert granted.count(False) == TAKERS * TAKES - BURST


def test_a_refused_take_tells_how_long_until_a_token_and_other_clients_are_not_touched(
    runtime: Runtime,
) -> None:
    budget = runtime.client_budget(rate=0.5, burst=2)
    noisy, quiet = f"client-{uuid.uuid4()}", f"client-{uuid.uuid4()}"

    taken = [budget.take(noisy) for _ in range(3)]

    assert taken[:2] == [0.0, 0.0]
    assert 0 < taken[2] <= 2.0
    assert budget.take(quiet) == 0.0


def test_a_zero_rate_takes_nothing_from_the_database(runtime: Runtime) -> None:
    budget = runtime.client_budget(rate=0, burst=1)

    assert [budget.take("anyone") for _ in range(5)] == [0.0] * 5
