"""`oms config import|export` and `OMS_CONFIG_FILE`, as real processes."""

import subprocess
from pathlib import Path

import httpx
import yaml
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from oms.workflow.models import OrderStatus
from tests.configuration.documents import EXAMPLE_SECRETS, EXAMPLES, as_yaml, minimal
from tests.processes import OMS, free_port, oms_env, wait_until_serving


def _oms(database_url: str, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [OMS, *args],
        env=oms_env(OMS_DATABASE_URL=database_url, **EXAMPLE_SECRETS, **env),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


async def _statuses(engine: AsyncEngine) -> int:
    async with engine.connect() as connection:
        return int(await connection.scalar(select(func.count()).select_from(OrderStatus)) or 0)


async def test_import_shows_the_diff_dry_run_changes_nothing_and_export_round_trips(
    database_url: str, engine: AsyncEngine, clean_database: None, tmp_path: Path
) -> None:
    furniture = str(EXAMPLES / "furniture" / "oms.yaml")
    dry = _oms(database_url, "config", "import", "--dry-run", furniture)
    assert dry.returncode == 0, dry.stderr
    assert "+ status in_production" in dry.stdout.splitlines()
    assert "dry run:" in dry.stdout
    assert await _statuses(engine) == 0

    applied = _oms(database_url, "config", "import", furniture)
    assert applied.returncode == 0, applied.stderr
    assert await _statuses(engine) == 6

    exported = tmp_path / "out" / "oms.yaml"
    done = _oms(database_url, "config", "export", "-o", str(exported))
    assert done.returncode == 0, done.stderr
    assert (exported.parent / "logo.svg").read_bytes() == (
        EXAMPLES / "furniture" / "logo.svg"
    ).read_bytes()
    assert yaml.safe_load(exported.read_text())["branding"]["logo"] == {"file": "logo.svg"}
    again = _oms(database_url, "config", "import", str(exported))
    assert again.returncode == 0, again.stderr
    assert again.stdout.strip() == "no changes: OMS already has this configuration"


async def test_a_bad_document_is_refused_with_every_problem_and_nothing_changes(
    database_url: str, engine: AsyncEngine, clean_database: None, tmp_path: Path
) -> None:
    document = minimal()
    document["statuses"][0]["initial"] = False
    document["branding"]["logo"] = {"file": "../../etc/passwd.svg"}
    path = tmp_path / "bad.yaml"
    path.write_text(as_yaml(document))
    result = _oms(database_url, "config", "import", str(path))
    assert result.returncode == 1
    assert "nothing was changed" in result.stderr
    assert "statuses: no status is initial" in result.stderr
    assert "branding.logo: the file must be in the document's folder" in result.stderr
    assert "worker_configurations[0].settings.secret: the environment variable" in result.stderr
    assert await _statuses(engine) == 0


def test_oms_config_file_is_applied_at_start_up_or_stops_it(
    database_url: str, clean_database: None, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("version: 1\n")
    refused = _oms(database_url, "api", OMS_CONFIG_FILE=str(bad))
    assert refused.returncode == 1
    assert f"OMS_CONFIG_FILE {bad} does not apply" in refused.stderr
    assert "branding: Field required" in refused.stderr

    port = free_port()
    env = oms_env(
        OMS_DATABASE_URL=database_url,
        OMS_PORT=str(port),
        OMS_CONFIG_FILE=str(EXAMPLES / "electronics" / "oms.yaml"),
        **EXAMPLE_SECRETS,
    )
    process = subprocess.Popen([OMS, "api"], env=env)
    try:
        wait_until_serving(f"http://127.0.0.1:{port}/health/live", process, timeout=60)
        statuses = httpx.get(f"http://127.0.0.1:{port}/api/v1/workflow/customer-statuses")
        assert statuses.json()[0]["name"] == "Awaiting payment"
    finally:
        process.terminate()
        process.wait(timeout=30)
