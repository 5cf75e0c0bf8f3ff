"""Racing requests: senders released together, each on its own connection, and every racer's outcome kept."""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import httpx

Sender = Callable[[httpx.Client], httpx.Response]
CONTENTION_RESENDS = 20


def is_write_contention(response: httpx.Response) -> bool:
    """A 503 write_contention in any surface's format: the write ran out of retries and wrote nothing."""
    if response.status_code != 503 or "Retry-After" not in response.headers:
        return False
    body = response.json()
    error = body.get("error") if isinstance(body, dict) else None
    if isinstance(error, dict):
        return error.get("type") == "write_contention"
    entries = (body.get("errors") or body.get("messageList") or []) if isinstance(body, dict) else []
    codes = [entry.get("code") for entry in entries]
    return codes == ["write_contention"]


@dataclass(frozen=True)
class Raced:
    """One racer's outcome: the response it ended with, or the error its request raised (timeout, reset)."""

    response: httpx.Response | None
    error: BaseException | None = None
    contention_answers: int = 0

    @property
    def status(self) -> int | None:
        return self.response.status_code if self.response is not None else None


def _send_until_decided(send: Sender, client: httpx.Client) -> Raced:
    # A write_contention answer asks the caller to send the request again, as a partner's client would.
    contention = 0
    response = send(client)
    while is_write_contention(response) and contention < CONTENTION_RESENDS:
        contention += 1
        time.sleep(random.uniform(0.01, 0.1))
        response = send(client)
    return Raced(response, contention_answers=contention)


def race(base_url: str, senders: list[Sender], timeout: float = 60) -> list[Raced]:
    """Run every sender at once, released together by a barrier; one outcome per racer, in order."""
    barrier = threading.Barrier(len(senders))
    outcomes: list[Raced] = [Raced(None, RuntimeError("the racer did not run"))] * len(senders)

    def run(index: int, send: Sender) -> None:
        with httpx.Client(base_url=base_url, timeout=timeout) as client:
            try:
                barrier.wait()
                outcomes[index] = _send_until_decided(send, client)
            except Exception as error:
                outcomes[index] = Raced(None, error)

    threads = [threading.Thread(target=run, args=(index, send)) for index, send in enumerate(senders)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def answered(outcomes: list[Raced]) -> list[httpx.Response]:
    """Every racer's response, in order; fails naming each racer whose request got no answer."""
    unanswered = [f"racer {index}: {o.error!r}" for index, o in enumerate(outcomes) if o.response is None]
    assert not unanswered, f"{len(unanswered)} of {len(outcomes)} racers got no answer: {unanswered}"
    return [outcome.response for outcome in outcomes if outcome.response is not None]
