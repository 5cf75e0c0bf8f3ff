"""The `ledger projections run` processes that `ledger serve` starts beside its workers and restarts."""

from __future__ import annotations

import subprocess
import sys
import threading

RESTART_CHECK_SECONDS = 1.0
STOP_SECONDS = 15.0


class ProjectionProcesses:
    """Runs `count` processes of `ledger projections run`, which elect one runner per view among themselves
    (and any other host's); one that ends while serving is started again, so a killed holder's standby takes
    over at once and a new standby follows. Each inherits this process's environment and output."""

    def __init__(self, count: int) -> None:
        self.count = count
        self._processes: list[subprocess.Popen[bytes]] = []
        self._stopping = threading.Event()
        self._watcher = threading.Thread(target=self._watch, name="projection-processes", daemon=True)

    def start(self) -> None:
        self._processes = [self._spawn() for _ in range(self.count)]
        self._watcher.start()

    def pids(self) -> list[int]:
        return [process.pid for process in self._processes]

    def stop(self) -> None:
        self._stopping.set()
        if self._watcher.is_alive():
            self._watcher.join()
        for process in self._processes:
            if process.poll() is None:
                process.terminate()
        for process in self._processes:
            try:
                process.wait(timeout=STOP_SECONDS)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    def __enter__(self) -> ProjectionProcesses:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @staticmethod
    def _spawn() -> subprocess.Popen[bytes]:
        return subprocess.Popen(
            [sys.executable, "-m", "ledger.cli", "projections", "run"], stdin=subprocess.DEVNULL
        )

    def _watch(self) -> None:
        while not self._stopping.wait(RESTART_CHECK_SECONDS):
            for index, process in enumerate(self._processes):
                if process.poll() is not None and not self._stopping.is_set():
                    self._processes[index] = self._spawn()
