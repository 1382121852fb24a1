"""The container image's health probe: `python -m oms.core.probe [PATH]`.

It exits 0 when the `oms` process of this container answers `GET PATH` (default
`/health/live`; `/health` for readiness) with a 2xx status, and 1 otherwise, saying why on
stderr. The API (`oms api`, `oms run`) answers on `OMS_PORT`; the relay and the workers serve
their probes on a port of their own, `OMS_HEALTH_PORT`. Which of them runs is read from the
arguments of the container's first process, so one `HEALTHCHECK` in the image serves every
`oms` command. Only the standard library is imported: Docker runs this every few seconds.
"""

import os
import sys
import urllib.error
import urllib.request
from collections.abc import Mapping, Sequence

DEFAULT_PORT = 3000
DEFAULT_HEALTH_PORT = 9000
TIMEOUT_SECONDS = 4.0
# The `oms` commands that do not serve the API, but probes on OMS_HEALTH_PORT.
BACKGROUND_COMMANDS = frozenset({"relay", "worker"})


def probe_port(command_line: Sequence[str], environ: Mapping[str, str]) -> int:
    """The port to probe for a process started with `command_line`."""
    if BACKGROUND_COMMANDS.intersection(command_line):
        return int(environ.get("OMS_HEALTH_PORT") or DEFAULT_HEALTH_PORT)
    return int(environ.get("OMS_PORT") or DEFAULT_PORT)


def first_process_command_line() -> list[str]:
    """PID 1's arguments (`oms worker email`, or an init's `docker-init -- oms api`)."""
    try:
        with open("/proc/1/cmdline", "rb") as cmdline:
            raw = cmdline.read()
    except OSError:
        return []
    return [part.decode(errors="replace") for part in raw.split(b"\0") if part]


def probe(url: str) -> str | None:
    """None when `url` answers 2xx, else what went wrong."""
    # No proxy from the environment: the process probed is on this container's loopback.
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(url, timeout=TIMEOUT_SECONDS) as response:
            status: int = response.status
    except urllib.error.HTTPError as error:
        return f"{url} answered {error.code}"
    except (urllib.error.URLError, OSError) as error:
        return f"{url} did not answer: {getattr(error, 'reason', error)}"
    if not 200 <= status < 300:
        return f"{url} answered {status}"
    return None


def main(argv: Sequence[str]) -> int:
    path = argv[0] if argv else "/health/live"
    port = probe_port(first_process_command_line(), os.environ)
    problem = probe(f"http://127.0.0.1:{port}{path}")
    if problem is not None:
        print(f"unhealthy: {problem}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
