"""Readiness: the database answers and every view is close enough behind the log, checked within a bound."""

from __future__ import annotations

import asyncio
import logging
from typing import Literal

import anyio
from pydantic import BaseModel

from ledger.metrics import view_lags
from ledger.runtime import Runtime

log = logging.getLogger("ledger.api")
DATABASE = "database"


class Check(BaseModel):
    name: str
    """`database`, or `view:<name>` for each view."""
    ok: bool
    detail: str
    lag: int | None = None
    """For a view: the events it is behind the log's head."""


class Readiness(BaseModel):
    """Whether this process should get traffic, and the checks that say so; `failed` names the failed ones."""

    status: Literal["ready", "unready"]
    failed: list[str]
    checks: list[Check]


def verdict(checks: list[Check]) -> Readiness:
    failed = [check.name for check in checks if not check.ok]
    return Readiness(status="unready" if failed else "ready", failed=failed, checks=checks)


class ReadinessProbe:
    """Measures the views' lag on a thread of its own; callers arriving meanwhile share that one measurement,
    so load balancers polling many times at once cost one round of queries, and none waits past `timeout`."""

    def __init__(self, max_lag: int, timeout: float) -> None:
        self.max_lag = max_lag
        self.timeout = timeout
        self._measuring: asyncio.Future[dict[str, int]] | None = None
        self._thread = anyio.CapacityLimiter(1)

    async def check(self, runtime: Runtime) -> Readiness:
        if runtime.database is not None and not runtime.database.available:
            return verdict([Check(name=DATABASE, ok=False, detail="The database does not answer.")])
        try:
            async with asyncio.timeout(self.timeout):
                lags = await asyncio.shield(self._measurement(runtime))
        except TimeoutError:
            detail = f"The database did not answer within {self.timeout:g} s."
            return verdict([Check(name=DATABASE, ok=False, detail=detail)])
        except Exception as error:
            log.warning("readiness: the views' positions could not be read: %s", type(error).__name__)
            detail = f"The database did not answer ({type(error).__name__})."
            return verdict([Check(name=DATABASE, ok=False, detail=detail)])
        checks = [Check(name=DATABASE, ok=True, detail="The database answers.")]
        for name, lag in lags.items():
            within = lag <= self.max_lag
            detail = f"{lag} events behind the log (at most {self.max_lag} allowed)."
            checks.append(Check(name=f"view:{name}", ok=within, detail=detail, lag=lag))
        return verdict(checks)

    def _measurement(self, runtime: Runtime) -> asyncio.Future[dict[str, int]]:
        if self._measuring is None or self._measuring.done():
            measuring = asyncio.ensure_future(
                anyio.to_thread.run_sync(view_lags, runtime, limiter=self._thread)
            )
            # Every caller may have given up before it ends: its error is then retrieved here.
            measuring.add_done_callback(lambda done: done.cancelled() or done.exception())
            self._measuring = measuring
        return self._measuring
