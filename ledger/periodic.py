"""A background loop that runs one round of work every few seconds until it is stopped."""

from __future__ import annotations

import logging
import threading
from typing import Any


class PeriodicTask:
    """Runs `run_once` every `interval` seconds on a daemon thread; a failed round is logged, and the next
    one tries again (the database may be away for a while)."""

    def __init__(self, name: str, interval: float, log: logging.Logger, stop_timeout: float = 10) -> None:
        self.interval = interval
        self._log = log
        self._stop_timeout = stop_timeout
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._loop, name=name, daemon=True)

    @property
    def stopping(self) -> bool:
        return self._stopping.is_set()

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stopping.set()
        self._thread.join(timeout=self._stop_timeout)

    def run_once(self) -> Any:
        raise NotImplementedError

    def _loop(self) -> None:
        while not self._stopping.wait(self.interval):
            try:
                self.run_once()
            except Exception:
                self._log.exception("%s: a round failed", self._thread.name)
