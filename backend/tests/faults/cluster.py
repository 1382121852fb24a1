"""OMS processes of a fault test: API, relay and worker subprocesses that can be killed,
stopped and started again, each logging to a file of its own."""

import signal
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.processes import OMS, free_port, oms_env, wait_until_serving

STOP_TIMEOUT = 30.0


class OmsProcess:
    """One `oms <command>`; `start()` again after it stopped runs a fresh process."""

    def __init__(self, name: str, args: list[str], env: dict[str, str], log: Path) -> None:
        self.name = name
        self.args = args
        self.env = env
        self.log = log
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def start(self) -> "OmsProcess":
        assert not self.running, f"{self.name} is already running"
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [OMS, *self.args], env=self.env, stdout=subprocess.DEVNULL, stderr=log
            )
        return self

    def kill(self) -> None:
        """SIGKILL: no clean-up of any kind, as a crash or an OOM kill."""
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(STOP_TIMEOUT)

    def terminate(self) -> None:
        """SIGTERM: a graceful stop, as an orchestrator asks for one."""
        assert self.process is not None
        self.process.send_signal(signal.SIGTERM)

    def exit_code(self) -> int:
        """Once the process has stopped by itself."""
        assert self.process is not None
        return self.process.wait(STOP_TIMEOUT)

    def log_tail(self, lines: int = 30) -> str:
        if not self.log.exists():
            return ""
        text = self.log.read_text(errors="replace").splitlines()
        return "\n".join(text[-lines:])

    def __repr__(self) -> str:
        return f"<{self.name}>\n{self.log_tail()}"


class ApiProcess(OmsProcess):
    def __init__(self, name: str, env: dict[str, str], log: Path) -> None:
        self.port = free_port()
        super().__init__(name, ["api"], {**env, "OMS_PORT": str(self.port)}, log)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def wait_until_serving(self) -> None:
        assert self.process is not None
        wait_until_serving(f"{self.url}/health/live", self.process, timeout=60)


class Cluster:
    """The processes a test started; whatever still runs at the end is killed."""

    def __init__(self, logs: Path, env: dict[str, str]) -> None:
        self.logs = logs
        self.env = env
        self.processes: list[OmsProcess] = []

    def _env(self, overrides: dict[str, str | None]) -> dict[str, str]:
        env = dict(self.env)
        for name, value in overrides.items():
            if value is None:
                env.pop(name, None)
            else:
                env[name] = value
        return env

    def _log(self, name: str) -> Path:
        return self.logs / f"{name}-{len(self.processes)}.log"

    def api(self, **overrides: str | None) -> ApiProcess:
        api = ApiProcess("api", self._env(overrides), self._log("api"))
        self.processes.append(api)
        return api

    def relay(self, **overrides: str | None) -> OmsProcess:
        relay = OmsProcess("relay", ["relay"], self._env(overrides), self._log("relay"))
        self.processes.append(relay)
        return relay

    def worker(self, kind: str, **overrides: str | None) -> OmsProcess:
        args = ["worker", kind, "--concurrency", "8"]
        worker = OmsProcess(f"worker-{kind}", args, self._env(overrides), self._log(kind))
        self.processes.append(worker)
        return worker

    def kill_all(self) -> None:
        for process in self.processes:
            if process.running:
                process.kill()


@contextmanager
def cluster(logs: Path, **env: str) -> Iterator[Cluster]:
    running = Cluster(logs, oms_env(**env))
    try:
        yield running
    finally:
        running.kill_all()
