"""The frontends' API types, and the worker settings schemas the admin app builds its forms
from, are generated from the OpenAPI document; the committed copies must be what generating
them now gives, or a changed endpoint or setting goes unnoticed by the apps."""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from oms.commands import write_openapi
from oms.integrations.schemas import EmailSettings, InventorySettings, WebhookSettings
from oms.outbox.service import WorkerType

FRONTEND = Path(__file__).resolve().parents[3] / "frontend"
COMMITTED = FRONTEND / "shared" / "src" / "api" / "schema.d.ts"
COMMITTED_SETTINGS = FRONTEND / "shared" / "src" / "api" / "workerSettings.json"
GENERATOR = FRONTEND / "shared" / "scripts" / "generate.mjs"


def _node() -> str:
    node = shutil.which("node")
    if node is None or not (FRONTEND / "node_modules").is_dir():
        if os.environ.get("CI"):
            pytest.fail("Node.js and frontend/node_modules are needed: run `npm ci` in frontend/.")
        pytest.skip("frontend/node_modules is absent (run `npm ci` in frontend/)")
    return node


def test_committed_api_types_match_the_openapi_document(tmp_path: Path) -> None:
    node = _node()
    document = tmp_path / "openapi.json"
    generated = tmp_path / "schema.d.ts"
    settings = tmp_path / "workerSettings.json"
    write_openapi(str(document))

    subprocess.run(
        [
            node,
            str(GENERATOR),
            "--document",
            str(document),
            "--out",
            str(generated),
            "--settings-out",
            str(settings),
        ],
        cwd=FRONTEND,
        check=True,
        capture_output=True,
        timeout=120,
    )

    assert generated.read_text(encoding="utf-8") == COMMITTED.read_text(encoding="utf-8"), (
        "frontend/shared/src/api/schema.d.ts is stale: run `npm run generate` in frontend/"
        " and commit the result."
    )
    assert settings.read_text(encoding="utf-8") == COMMITTED_SETTINGS.read_text(encoding="utf-8"), (
        "frontend/shared/src/api/workerSettings.json is stale: run `npm run generate` in"
        " frontend/ and commit the result."
    )


def test_the_settings_schemas_are_those_a_configuration_of_each_worker_type_takes() -> None:
    committed = json.loads(COMMITTED_SETTINGS.read_text(encoding="utf-8"))

    assert set(committed) == {str(worker) for worker in WorkerType}
    for worker, model in (
        ("email", EmailSettings),
        ("webhook", WebhookSettings),
        ("inventory", InventorySettings),
    ):
        schema = committed[worker]
        assert schema["title"] == model.__name__
        assert set(schema["properties"]) == set(model.model_fields)
        assert "$ref" not in json.dumps(schema), "the forms need every reference resolved"
