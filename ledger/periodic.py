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
        self._thread: threading.Thread | None = None

    @property
    def stopping(self) -> bool:
        """Whether `stop()` was called: a long round checks it between steps."""
        return self._stopping.is_set()

    def start(self) -> None:
        """Start the loop; after `stop()`, starting again runs a new loop (an elected worker's next term)."""
        self._stopping = threading.Event()
        self._thread = threading.Thread(
            target=self._loop, args=(self._stopping,), name=self._name, daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        self._stopping.set()
        if self._thread is not None:
            self._thread.join(timeout=self._stop_timeout)

    def _loop(self, stopping: threading.Event) -> None:
        while not stopping.wait(self.interval):
            try:
                self._round()
            except Exception:
                self._log.exception("a round of %s failed", self._name)
