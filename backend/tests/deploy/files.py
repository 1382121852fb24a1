"""The deployment files under test, and what reads them: YAML, `.env` files, Compose's
variable interpolation."""

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from tests.database import BACKEND_DIR

REPO_ROOT = BACKEND_DIR.parent
DEPLOY_DIR = REPO_ROOT / "deploy"
COMPOSE_DIR = DEPLOY_DIR / "compose"
COMPOSE_FILES = {
    "development": COMPOSE_DIR / "compose.yaml",
    "production": COMPOSE_DIR / "compose.prod.yaml",
}
ENV_EXAMPLE = COMPOSE_DIR / ".env.example"
NGINX_TEMPLATE = DEPLOY_DIR / "nginx" / "oms.conf.template"
KUBERNETES_DIR = DEPLOY_DIR / "kubernetes"
DOCKERFILE = REPO_ROOT / "Dockerfile"
DOCKERIGNORE = REPO_ROOT / ".dockerignore"

# The `oms` commands that Compose services and Kubernetes workloads run, besides one
# `worker KIND` per worker type (oms.outbox.events.WorkerType).
SERVED_COMMANDS = (("migrate",), ("api",), ("relay",))


def load_yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text())


def load_yaml_documents(path: Path) -> list[Any]:
    return [document for document in yaml.safe_load_all(path.read_text()) if document]


_ENV_LINE = re.compile(r"^(?P<commented>#\s*)?(?P<name>[A-Z][A-Z0-9_]*)=(?P<value>.*)$")


def env_file_entries(path: Path) -> list[tuple[str, str, bool]]:
    """(name, value, commented) for each `NAME=value` line, commented (`# NAME=value`) or not;
    quotes around a value are dropped, as Compose does."""
    entries = []
    for line in path.read_text().splitlines():
        match = _ENV_LINE.match(line.strip())
        if match is None:
            continue
        value = match["value"]
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        entries.append((match["name"], value, match["commented"] is not None))
    return entries


class UnsetVariable(Exception):
    pass


# Compose's interpolation: $$, $NAME, ${NAME}, ${NAME:-default}, ${NAME-default},
# ${NAME:?error}, ${NAME?error}, ${NAME:+replacement}; defaults may hold further ${...}.
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def interpolate(text: str, environ: Mapping[str, str], used: set[str] | None = None) -> str:
    """`text` with Compose's `${...}` replaced from `environ`; the names met go into `used`."""
    out: list[str] = []
    i = 0
    while i < len(text):
        char = text[i]
        if char != "$":
            out.append(char)
            i += 1
            continue
        following = text[i + 1 : i + 2]
        if following == "$":
            out.append("$")
            i += 2
        elif following == "{":
            end = _closing_brace(text, i + 1)
            out.append(_substitute(text[i + 2 : end], environ, used))
            i = end + 1
        elif (match := _NAME.match(text, i + 1)) is not None:
            name = match.group()
            if used is not None:
                used.add(name)
            out.append(environ.get(name, ""))
            i = match.end()
        else:
            raise ValueError(f"a lone $ in {text!r}: write $$ for a literal dollar")
    return "".join(out)


def _closing_brace(text: str, opening: int) -> int:
    depth = 0
    for index in range(opening, len(text)):
        if text[index] == "{":
            depth += 1
        elif text[index] == "}":
            depth -= 1
            if depth == 0:
                return index
    raise ValueError(f"an unclosed ${{ in {text!r}")


def _substitute(expression: str, environ: Mapping[str, str], used: set[str] | None) -> str:
    match = _NAME.match(expression)
    if match is None:
        raise ValueError(f"${{{expression}}} names no variable")
    name, rest = match.group(), expression[match.end() :]
    if used is not None:
        used.add(name)
    value = environ.get(name)
    for operator in (":-", "-", ":?", "?", ":+", "+"):
        if rest.startswith(operator):
            argument = interpolate(rest[len(operator) :], environ, used)
            empty_counts = operator.startswith(":")
            missing = value is None or (empty_counts and value == "")
            if operator.endswith("-"):
                return argument if missing else str(value)
            if operator.endswith("?"):
                if missing:
                    raise UnsetVariable(f"{name}: {argument}")
                return str(value)
            return "" if missing else argument
    if rest:
        raise ValueError(f"${{{expression}}}: unknown modifier {rest!r}")
    return value or ""


def interpolate_tree(node: Any, environ: Mapping[str, str], used: set[str]) -> Any:
    """Every string in a loaded YAML document interpolated, as Compose does before use."""
    if isinstance(node, str):
        return interpolate(node, environ, used)
    if isinstance(node, list):
        return [interpolate_tree(item, environ, used) for item in node]
    if isinstance(node, dict):
        return {key: interpolate_tree(value, environ, used) for key, value in node.items()}
    return node
