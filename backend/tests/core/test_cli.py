"""The `oms` command: help, version, and one clear line for every bad start-up."""

import json
import socket
import subprocess
from pathlib import Path

from tests.processes import OMS, free_port, oms_env


def _oms(*args: str, timeout: float = 60, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [OMS, *args], env=oms_env(**env), capture_output=True, text=True, timeout=timeout
    )


def _one_clear_line(result: subprocess.CompletedProcess[str], expected: str) -> None:
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("oms: error:")]
    assert len(errors) == 1, result.stderr
    assert expected in errors[0]


def test_version_is_printed() -> None:
    result = _oms("--version")

    assert result.returncode == 0
    assert result.stdout.startswith("oms ")


def test_help_documents_every_command() -> None:
    result = _oms("--help")

    assert result.returncode == 0
    for command in ("run", "api", "migrate", "seed"):
        assert command in result.stdout


def test_openapi_prints_the_document_the_app_serves(tmp_path: Path) -> None:
    target = tmp_path / "openapi.json"
    result = _oms("openapi", "-o", str(target), OMS_DATABASE_URL="")

    assert result.returncode == 0, result.stderr
    document = json.loads(target.read_text())
    assert document["openapi"].startswith("3.")
    assert "/api/v1/orders" in document["paths"]


def test_invalid_setting_names_the_variable() -> None:
    result = _oms("api", OMS_PORT="not-a-port")

    _one_clear_line(result, "OMS_PORT")


def test_unreachable_database_is_named() -> None:
    result = _oms(
        "api",
        OMS_DATABASE_URL=f"postgresql://postgres@127.0.0.1:{free_port()}/oms",
        OMS_DB_CONNECT_TIMEOUT="2",
    )

    _one_clear_line(result, "cannot reach the database at 127.0.0.1")


def test_port_in_use_is_named(database_url: str) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]

        result = _oms("api", OMS_DATABASE_URL=database_url, OMS_PORT=str(port))

    _one_clear_line(result, f"port {port} on 127.0.0.1 is already in use")


def test_unwritable_data_dir_is_named(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")

    result = _oms("migrate", OMS_DATA_DIR=str(blocker / "data"))

    _one_clear_line(result, "is not writable")


def test_seed_without_a_kind_is_a_usage_error() -> None:
    result = _oms("seed")

    assert result.returncode == 2
    assert "oms seed --demo" in result.stderr
