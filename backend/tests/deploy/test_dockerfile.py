"""The image's Dockerfile, read with dockerfile-parse (no engine here): its stages, that the
runtime holds the installed wheel and nothing to build with, runs as a non-root user, probes
itself and has `oms` as its entry point; and what .dockerignore keeps out of the build."""

import json
import os
import re
import shutil
import subprocess
import tomllib
from dataclasses import dataclass
from typing import Any

import pytest
from dockerfile_parse import DockerfileParser

from tests.database import BACKEND_DIR, in_ci
from tests.deploy.files import DOCKERFILE, DOCKERIGNORE

BUILD_TOOLS = re.compile(r"\b(gcc|g\+\+|make|build-essential|apt-get|apk|npm|uv|git)\b")


@dataclass
class Stage:
    name: str
    base: str
    instructions: list[tuple[str, str]]

    def values(self, instruction: str) -> list[str]:
        return [value for kind, value in self.instructions if kind == instruction]


def stages() -> list[Stage]:
    parser = DockerfileParser(path=str(DOCKERFILE))
    arguments = {
        name: default
        for kind, value in ((i["instruction"], i["value"]) for i in parser.structure)
        if kind == "ARG" and "=" in value
        for name, default in [value.split("=", 1)]
    }
    result: list[Stage] = []
    for item in parser.structure:
        kind, value = item["instruction"], item["value"]
        if kind == "FROM":
            base, _, name = value.partition(" AS ")
            base = re.sub(r"\$\{(\w+)\}", lambda m: arguments[m.group(1)], base.strip())
            result.append(Stage(name.strip(), base, []))
        elif result and kind != "COMMENT":
            result[-1].instructions.append((kind, value))
    return result


def stage(name: str) -> Stage:
    (found,) = (s for s in stages() if s.name == name)
    return found


def exec_form(value: str) -> Any:
    return json.loads(value)


def test_the_stages_build_the_apps_then_the_wheel_then_a_slim_runtime() -> None:
    assert [(s.name, s.base.split(":")[0]) for s in stages()] == [
        ("web", "node"),
        ("build", "python"),
        ("runtime", "python"),
    ]
    web, build, runtime = stages()
    assert any("npm ci" in run and "npm run build" in run for run in web.values("RUN"))
    # Every app of the workspace that was built, not a list that must be kept up to date.
    assert any("*/dist" in run for run in web.values("RUN"))
    assert "--from=web /apps/ frontend/" in build.values("COPY")
    assert any("uv build --wheel" in run for run in build.values("RUN"))
    assert "slim" in runtime.base
    assert build.base == runtime.base, "the environment is copied: one Python in both"


def test_the_python_of_the_image_is_one_the_package_supports() -> None:
    requires = tomllib.loads((BACKEND_DIR / "pyproject.toml").read_text())["project"]
    minimum = requires["requires-python"].removeprefix(">=")
    version = stage("runtime").base.split(":")[1].split("-")[0]

    assert tuple(map(int, version.split("."))) >= tuple(map(int, minimum.split(".")))


def test_the_runtime_holds_the_installed_wheel_and_no_build_tools() -> None:
    runtime = stage("runtime")

    assert runtime.values("COPY") == ["--from=build /opt/oms /opt/oms"]
    for run in runtime.values("RUN"):
        assert not BUILD_TOOLS.search(run), run
        assert "pip uninstall" in run or "useradd" in run
    assert any(
        "pip uninstall --yes --quiet pip setuptools wheel" in run for run in runtime.values("RUN")
    )
    build = " ".join(stage("build").values("RUN"))
    # The locked runtime dependencies (hash-checked) and the wheel, nothing of the dev group.
    assert "uv export --frozen --no-dev --no-emit-project" in build
    assert "--require-hashes" in build
    assert "--no-deps /wheels/oms-*.whl" in build


def test_the_runtime_runs_as_a_non_root_user() -> None:
    (user,) = stage("runtime").values("USER")
    uid, _, gid = user.partition(":")

    # Numeric, so that Kubernetes can check runAsNonRoot.
    assert int(uid) >= 1000
    assert int(gid) >= 1000
    assert any(f"--uid {uid}" in run for run in stage("runtime").values("RUN"))


def test_the_runtime_listens_on_every_interface_and_logs_json() -> None:
    environment = " ".join(stage("runtime").values("ENV"))

    assert "OMS_HOST=0.0.0.0" in environment
    assert "OMS_PORT=3000" in environment
    assert "OMS_LOG_FORMAT=json" in environment
    assert stage("runtime").values("EXPOSE") == ["3000"]


def test_the_entry_point_is_oms_and_the_default_command_the_api() -> None:
    runtime = stage("runtime")

    assert [exec_form(v) for v in runtime.values("ENTRYPOINT")] == [["oms"]]
    assert [exec_form(v) for v in runtime.values("CMD")] == [["api"]]


def test_the_image_probes_its_liveness() -> None:
    (healthcheck,) = stage("runtime").values("HEALTHCHECK")
    options, _, command = healthcheck.partition("CMD")

    assert exec_form(command.strip()) == ["python", "-m", "oms.core.probe"]
    assert "--interval=" in options
    assert "--timeout=" in options


@pytest.mark.parametrize(
    "pattern",
    [
        "**/.git",
        "**/.env",
        "**/.oms",
        "**/.venv",
        "**/node_modules",
        "**/dist",
        "**/test-output",
        "**/*.pem",
        "**/*.key",
        "deploy/compose/certs",
    ],
)
def test_dockerignore_keeps_local_state_and_secrets_out(pattern: str) -> None:
    patterns = [
        line.strip()
        for line in DOCKERIGNORE.read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]

    assert pattern in patterns


def test_dockerignore_keeps_what_the_build_needs() -> None:
    patterns = {line.strip() for line in DOCKERIGNORE.read_text().splitlines()}

    for needed in ("frontend", "backend", "backend/src", "backend/README.md", "backend/uv.lock"):
        assert needed not in patterns
    assert "**/*.md" not in patterns, "the package's readme is part of its metadata"


def test_the_exported_requirements_are_the_runtime_dependencies_only() -> None:
    # `uv run` names itself in UV; CI runs the tests through it.
    uv = os.environ.get("UV") or shutil.which("uv")
    if uv is None:
        if in_ci():
            pytest.fail("uv is needed to export the image's requirements")
        pytest.skip("uv is not on PATH")

    exported = subprocess.run(
        [uv, "export", "--frozen", "--no-dev", "--no-emit-project", "--format", "requirements-txt"],
        cwd=BACKEND_DIR,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    ).stdout

    names = {
        line.split("==")[0].split("[")[0].lower()
        for line in exported.splitlines()
        if "==" in line and not line.startswith((" ", "#"))
    }
    project = tomllib.loads((BACKEND_DIR / "pyproject.toml").read_text())
    for requirement in project["project"]["dependencies"]:
        assert re.split(r"[\[<>=~ ]", requirement)[0].lower() in names, requirement
    for development_only in ("pytest", "mypy", "ruff", "playwright", "schemathesis"):
        assert development_only not in names
    assert "--hash=sha256:" in exported
