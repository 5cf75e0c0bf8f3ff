"""One HTTP attempt of a delivery: redirects not followed, one deadline for it all, the answer capped."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

import httpx


@dataclass(frozen=True)
class Outcome:
    """What an attempt got: the status code when the receiver answered, else what went wrong."""

    code: int | None
    error: str | None = None
    accepted: bool = False
    """Taken by a receiver that answers in other codes than HTTP's (an SMTP server's 250)."""

    @property
    def delivered(self) -> bool:
        return self.code is not None and (self.accepted or 200 <= self.code < 300)

    def describe(self) -> str:
        if self.code is None:
            return self.error or "no answer"
        return f"HTTP {self.code}" + (f" ({self.error})" if self.error else "")


def new_client(max_connections: int, connect_timeout: float) -> httpx.AsyncClient:
    """The worker's HTTP client: one pool for all receivers, one connection per destination in flight."""
    return httpx.AsyncClient(
        follow_redirects=False,
        timeout=httpx.Timeout(connect=connect_timeout, read=None, write=None, pool=None),
        limits=httpx.Limits(max_connections=max_connections, max_keepalive_connections=max_connections),
        trust_env=False,
    )


async def post(
    client: httpx.AsyncClient, url: str, body: bytes, headers: dict[str, str], deadline: float, max_bytes: int
) -> Outcome:
    """POST the body; at most `deadline` seconds for the whole exchange, and at most `max_bytes` of the
    answer read (the rest is dropped with the connection): only its status matters."""
    try:
        async with (
            asyncio.timeout(deadline),
            client.stream("POST", url, content=body, headers=headers) as answer,
        ):
            read = 0
            async for chunk in answer.aiter_raw():
                read += len(chunk)
                if read >= max_bytes:
                    break
            if 300 <= answer.status_code < 400:
                return Outcome(answer.status_code, "redirects are not followed")
            return Outcome(answer.status_code)
    except TimeoutError:
        return Outcome(None, f"no answer within {deadline:g} s")
    except httpx.TimeoutException:
        return Outcome(None, "timed out connecting")
    except httpx.HTTPError as error:
        return Outcome(None, f"{type(error).__name__}: connection failed")
