"""A background loop that runs one round of work every few seconds until it is stopped."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable


class Periodic:
    """Runs `round_of_work` every `interval` seconds on a daemon thread; a failed round is logged and the
    next one tries again (the database may be away for a while)."""

    def __init__(
        self,
        name: str,
        interval: float,
        round_of_work: Callable[[], object],
        log: logging.Logger,
        stop_timeout: float = 10,
    ) -> None:
        self.interval = interval
        self._round = round_of_work
        self._log = log
        self._name = name
        self._stop_timeout = stop_timeout
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._loop, name=name, daemon=True)

    @property
    def stopping(self) -> bool:
        """Whether `stop()` was called: a long round checks it between steps."""
        return self._stopping.is_set()

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stopping.set()
        self._thread.join(timeout=self._stop_timeout)

    def _loop(self) -> None:
        while not self._stopping.wait(self.interval):
            try:
                self._round()
            except Exception:
                self._log.exception("a round of %s failed", self._name)
