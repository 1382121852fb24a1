"""Resident memory of benchmarked processes, sampled while the load runs."""

import threading
from dataclasses import dataclass, field
from types import TracebackType

import psutil

MIB = 1024 * 1024


@dataclass
class RssSampler:
    """Samples a process's resident set size every `interval` seconds until stopped."""

    pid: int
    interval: float = 0.2
    samples: list[int] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def __enter__(self) -> "RssSampler":
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()

    def _sample(self) -> None:
        process = psutil.Process(self.pid)
        while True:
            try:
                self.samples.append(process.memory_info().rss)
            except psutil.Error:
                return
            if self._stop.wait(self.interval):
                return

    def summary(self, name: str) -> str:
        if not self.samples:
            return f"{name}: no memory samples"
        first, peak, last = self.samples[0], max(self.samples), self.samples[-1]
        # Growth compares the last tenth of the run with the first tenth, so one
        # allocation spike does not read as a leak.
        tenth = max(1, len(self.samples) // 10)
        early = sum(self.samples[:tenth]) / tenth
        late = sum(self.samples[-tenth:]) / tenth
        return (
            f"{name} RSS start {first / MIB:.0f} MiB, peak {peak / MIB:.0f} MiB,"
            f" end {last / MIB:.0f} MiB (late vs early in the run {(late - early) / MIB:+.1f} MiB)"
        )
