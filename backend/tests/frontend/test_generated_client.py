"""The frontends' API types are generated from the OpenAPI document; the committed copy
must be what generating it now gives, or a changed endpoint goes unnoticed by the apps."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from oms.commands import write_openapi

FRONTEND = Path(__file__).resolve().parents[3] / "frontend"
COMMITTED = FRONTEND / "shared" / "src" / "api" / "schema.d.ts"
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
    write_openapi(str(document))

    subprocess.run(
        [node, str(GENERATOR), "--document", str(document), "--out", str(generated)],
        cwd=FRONTEND,
        check=True,
        capture_output=True,
        timeout=120,
    )

    assert generated.read_text(encoding="utf-8") == COMMITTED.read_text(encoding="utf-8"), (
        "frontend/shared/src/api/schema.d.ts is stale: run `npm run generate` in frontend/"
        " and commit the result."
    )
