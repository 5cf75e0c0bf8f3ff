"""Clients' request budgets in PostgreSQL: racing takers get exactly the burst, leases give back what they
left unspent, refills follow the rate."""

from __future__ import annotations

import threading
import uuid

from api.shared.rate_limit import RateLimitedError, SharedRateLimiter
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


def test_a_lease_gives_back_its_unspent_tokens_and_takes_no_more_than_there_are(runtime: Runtime) -> None:
    budget = runtime.client_budget(rate=0.0001, burst=10)
    key = f"client-{uuid.uuid4()}"

    assert budget.lease(key, 4, 0) == (4, 0.0)
    assert budget.lease(key, 10, 3) == (9, 0.0)
    taken, wait = budget.lease(key, 1, 0)
    assert taken == 0
    assert wait > 0


def test_leasing_limiters_of_two_processes_let_through_exactly_the_burst_together(runtime: Runtime) -> None:
    budget = runtime.client_budget(rate=0.0001, burst=400)
    first, second = SharedRateLimiter(budget), SharedRateLimiter(budget)
    assert first.lease_size > 1
    key = f"client-{uuid.uuid4()}"
    granted, refused = 0, 0
    while refused < 2:  # until both refuse in the same round: neither holds a token any more
        refused = 0
        for limiter in (first, second):
            try:
                limiter.check(key)
            except RateLimitedError:
                refused += 1
            else:
                granted += 1

    assert granted == 400
