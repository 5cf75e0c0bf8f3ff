"""Bookkeeping writes of a lane are gathered: calls made while a write is out go together in the next."""

from __future__ import annotations

import asyncio

from ledger.webhooks.coalesced import Coalesced


class Recorder:
    """A write that holds each call until released, and notes what each call was given."""

    def __init__(self, fail_on: int | None = None) -> None:
        self.calls: list[list[int]] = []
        self.release = asyncio.Event()
        self.fail_on = fail_on

    async def write(self, items: list[int]) -> list[int]:
        self.calls.append(items)
        await self.release.wait()
        if self.fail_on in items:
            raise RuntimeError("refused")
        return [item * 10 for item in items]


def test_calls_made_while_a_write_is_out_go_together_in_the_next_write() -> None:
    async def scenario() -> tuple[list[list[int]], list[int]]:
        recorder = Recorder()
        write = Coalesced(recorder.write)
        first = asyncio.create_task(write(1))
        await asyncio.sleep(0)  # the first write is out
        others = [asyncio.create_task(write(n)) for n in (2, 3, 4)]
        await asyncio.sleep(0)
        recorder.release.set()
        results = await asyncio.gather(first, *others)
        return recorder.calls, results

    calls, results = asyncio.run(scenario())
    assert calls == [[1], [2, 3, 4]]
    assert results == [10, 20, 30, 40]


def test_a_failed_write_fails_each_of_its_callers_and_the_next_write_still_goes_out() -> None:
    async def scenario() -> tuple[list[list[int]], list[object]]:
        recorder = Recorder(fail_on=2)
        write = Coalesced(recorder.write)
        first = asyncio.create_task(write(1))
        await asyncio.sleep(0)
        failing = [asyncio.create_task(write(n)) for n in (2, 3)]
        recorder.release.set()
        outcomes = await asyncio.gather(first, *failing, return_exceptions=True)
        later = await write(5)
        return recorder.calls, [*outcomes, later]

    calls, outcomes = asyncio.run(scenario())
    assert calls == [[1], [2, 3], [5]]
    assert outcomes[0] == 10
    assert outcomes[3] == 50
    assert [str(failed) for failed in outcomes[1:3]] == ["refused", "refused"]
