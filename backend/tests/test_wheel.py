"""The wheel carries the built apps as `oms/web/<app>`, and leaves out an app not built."""

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.database import BACKEND_DIR, in_ci


def _uv() -> str:
    # `uv run` names itself in UV; CI runs the tests through it.
    uv = os.environ.get("UV") or shutil.which("uv")
    if uv is None:
        if in_ci():
            pytest.fail("uv is needed to build the wheel and was not found")
        pytest.skip("uv is not on PATH: the wheel cannot be built here")
    return uv


def test_the_wheel_carries_the_built_customer_app_and_no_unbuilt_admin_app(
    tmp_path: Path,
) -> None:
    root = tmp_path / "checkout"
    backend = root / "backend"
    backend.mkdir(parents=True)
    for name in ("pyproject.toml", "hatch_build.py", "README.md"):
        shutil.copy(BACKEND_DIR / name, backend / name)
    shutil.copytree(
        BACKEND_DIR / "src", backend / "src", ignore=shutil.ignore_patterns("__pycache__")
    )
    dist = root / "frontend" / "customer" / "dist"
    (dist / "assets").mkdir(parents=True)
    (dist / "index.html").write_text("<!doctype html><title>Shop</title>")
    (dist / "assets" / "index-abc123.js").write_text("console.log('shop')")
    (root / "frontend" / "admin" / "src").mkdir(parents=True)  # sources, never built

    subprocess.run(
        [_uv(), "build", "--wheel", "--out-dir", str(tmp_path / "out"), str(backend)],
        check=True,
        capture_output=True,
        timeout=300,
    )

    (wheel,) = (tmp_path / "out").glob("oms-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert sorted(name for name in names if name.startswith("oms/web/")) == [
        "oms/web/customer/assets/index-abc123.js",
        "oms/web/customer/index.html",
    ]
    assert "oms/core/web_apps.py" in names
    with zipfile.ZipFile(wheel) as archive:
        assert (
            archive.read("oms/web/customer/index.html") == dist.joinpath("index.html").read_bytes()
        )

    # Installed, OMS serves the apps the wheel carries.
    installed = tmp_path / "site-packages"
    zipfile.ZipFile(wheel).extractall(installed)
    where = subprocess.run(
        [
            sys.executable,
            "-c",
            "from oms.core.settings import Settings; from oms.core.web_apps import app_directories;"
            " print(app_directories(Settings(_env_file=None))['customer'])",
        ],
        env={**os.environ, "PYTHONPATH": str(installed)},
        check=True,
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert Path(where.stdout.strip()) == installed / "oms" / "web" / "customer"
