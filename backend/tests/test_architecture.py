"""The layers hold: each import-linter contract fails on the leak it is there for, and what
one module hands another through its service is never an ORM row.

The contract checks run `lint-imports` with the project's own configuration over a copy of
the package with one deliberate leak written into it, so they prove the contracts as
`make lint` runs them.
"""

import ast
import importlib
import inspect
import re
import shutil
import subprocess
import sys
import typing
from pathlib import Path

import pytest

from oms.core.db import Base
from oms.core.locks import Lock

BACKEND = Path(__file__).resolve().parents[1]
PACKAGE = BACKEND / "src" / "oms"
CONFIG = BACKEND / "pyproject.toml"
MODULES = (
    "auth",
    "branding",
    "products",
    "workflow",
    "orders",
    "outbox",
    "integrations",
    "audit",
    "configuration",
    "dashboard",
)

MEET_AT_SERVICE = "Modules meet only at each other's service"
ROUTERS = "A router uses only its own module's service and schemas"
REPOSITORIES = "A repository runs SQL: it calls no service and no router"
LAYERS = "Within a module, router -> service -> repository"
CORE = "Core knows nothing of the domain modules"
COMPOSITION = "Domain modules know nothing of the composition around them"
DEMO = "No service, repository or router imports demo data"


def _lint_imports(root: Path) -> tuple[int, str]:
    """`lint-imports` over the `oms` package in `root` (it imports from its working
    directory first), with the project's configuration."""
    command = Path(sys.executable).with_name("lint-imports")
    done = subprocess.run(
        [str(command), str(CONFIG), "--no-cache"],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    return done.returncode, done.stdout + done.stderr


def _broken(output: str) -> set[str]:
    return {match.group(1) for match in re.finditer(r"^(.+?) BROKEN\b", output, re.MULTILINE)}


@pytest.fixture
def package_copy(tmp_path: Path) -> Path:
    shutil.copytree(PACKAGE, tmp_path / "oms", ignore=shutil.ignore_patterns("__pycache__"))
    return tmp_path


def test_the_package_as_it_is_keeps_every_contract(package_copy: Path) -> None:
    returncode, output = _lint_imports(package_copy)
    assert returncode == 0, output
    assert "0 broken" in output


@pytest.mark.parametrize(
    ("file", "leak", "contract"),
    [
        pytest.param(
            "products/router.py",
            "from oms.orders import repository",
            ROUTERS,
            id="a router importing another module's repository",
        ),
        pytest.param(
            "orders/router.py",
            "from oms.orders.repository import OrderFilter",
            ROUTERS,
            id="a router importing its own repository",
        ),
        pytest.param(
            "integrations/router.py",
            "from oms.products import service as products",
            ROUTERS,
            id="a router importing another module's service",
        ),
        pytest.param(
            "orders/repository.py",
            "from oms.auth import service as auth",
            REPOSITORIES,
            id="a repository importing another module's service",
        ),
        pytest.param(
            "workflow/repository.py",
            "from oms.workflow import service",
            LAYERS,
            id="a repository importing its own service",
        ),
        pytest.param(
            "orders/service.py",
            "from oms.products.models import Product",
            MEET_AT_SERVICE,
            id="a service importing another module's models",
        ),
        pytest.param(
            "products/service.py",
            "from oms.orders import service as orders",
            MEET_AT_SERVICE,
            id="a dependency between modules that is not declared",
        ),
        pytest.param(
            "core/db.py",
            "from oms.orders import service as orders",
            CORE,
            id="core importing a domain module",
        ),
        pytest.param(
            "orders/service.py",
            "from oms import seed",
            COMPOSITION,
            id="a domain module importing the composition",
        ),
        pytest.param(
            "orders/service.py",
            "from oms.orders import demo",
            DEMO,
            id="a service importing its module's demo data",
        ),
    ],
)
def test_a_leak_breaks_its_contract(
    package_copy: Path, file: str, leak: str, contract: str
) -> None:
    with (package_copy / "oms" / file).open("a") as source:
        source.write(f"\n{leak}  # the leak under test\n")
    returncode, output = _lint_imports(package_copy)
    assert returncode != 0, output
    assert contract in _broken(output), output


def test_an_allowance_that_matches_no_import_fails(package_copy: Path) -> None:
    """A declared dependency nothing uses any more must go, not linger as a loophole."""
    router = package_copy / "oms" / "outbox" / "router.py"
    router.write_text(router.read_text().replace("from oms.outbox import service\n", ""))
    returncode, output = _lint_imports(package_copy)
    assert returncode != 0, output
    assert "oms.outbox.router -> oms.outbox.service" in output


# --- what crosses a module line ------------------------------------------------------------


def _owner(path: Path) -> str:
    """The domain module a source file belongs to, or "" for core and the composition."""
    parts = path.relative_to(PACKAGE).parts
    return parts[0] if len(parts) > 1 and parts[0] in MODULES else ""


def _used_across_modules() -> dict[tuple[str, str], set[str]]:
    """(module, name) -> the files outside `module` that use `name` of its service, found
    through `from oms.<module> import service as <alias>` and `<alias>.<name>` (or
    `from oms.<module>.service import <name>`)."""
    used: dict[tuple[str, str], set[str]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(), str(path))
        where = str(path.relative_to(PACKAGE))
        aliases: dict[str, str] = {}
        for node in ast.walk(tree):
            if not isinstance(node, ast.ImportFrom) or not node.module:
                continue
            module, _, inner = node.module.removeprefix("oms.").partition(".")
            if module not in MODULES or module == _owner(path):
                continue
            for name in node.names:
                if not inner and name.name == "service":
                    aliases[name.asname or name.name] = module
                elif inner == "service":
                    used.setdefault((module, name.name), set()).add(where)
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id in aliases
            ):
                used.setdefault((aliases[node.value.id], node.attr), set()).add(where)
    return used


def _orm_classes_in(annotation: object) -> list[type]:
    found: list[type] = []
    if isinstance(annotation, type) and issubclass(annotation, Base):
        found.append(annotation)
    for argument in typing.get_args(annotation):
        found.extend(_orm_classes_in(argument))
    return found


def test_services_hand_other_modules_schemas_not_orm_rows() -> None:
    used = _used_across_modules()
    assert used, "no use of another module's service found: the scan is broken"
    leaks = []
    for (module, name), users in sorted(used.items()):
        exported = getattr(importlib.import_module(f"oms.{module}.service"), name)
        if inspect.isroutine(exported):
            hints = typing.get_type_hints(exported, include_extras=True)
            rows = [row for hint in hints.values() for row in _orm_classes_in(hint)]
        else:  # a class, a type alias or a constant
            rows = _orm_classes_in(exported)
        if rows:
            names = ", ".join(sorted(row.__name__ for row in rows))
            leaks.append(f"{module}.service.{name} ({names}) used by {', '.join(sorted(users))}")
    assert not leaks, "ORM rows cross module lines:\n" + "\n".join(leaks)


# --- one helper, one registry --------------------------------------------------------------


def _sources() -> dict[str, str]:
    return {
        str(path.relative_to(PACKAGE)): path.read_text() for path in sorted(PACKAGE.rglob("*.py"))
    }


def _names_used(source: str) -> set[str]:
    tree = ast.parse(source)
    names = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}
    names |= {node.attr for node in ast.walk(tree) if isinstance(node, ast.Attribute)}
    names |= {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
    }
    return names


def test_database_refusals_become_domain_errors_only_through_the_one_helper() -> None:
    """`oms.core.db_errors.violations_as` is the one place an IntegrityError is caught: a
    module that catches it itself has a second way of mapping constraints to problems."""
    catching = sorted(
        where
        for where, source in _sources().items()
        if where != "core/db_errors.py" and "IntegrityError" in _names_used(source)
    )
    assert not catching, f"use oms.core.db_errors.violations_as instead: {catching}"


def test_advisory_locks_are_taken_only_through_the_registry_and_every_key_is_used() -> None:
    sources = _sources()
    raw = sorted(
        where
        for where, source in sources.items()
        if where != "core/locks.py" and re.search(r"pg_(try_)?advisory", source)
    )
    assert not raw, f"take advisory locks through oms.core.locks: {raw}"
    used = set().union(
        *(_names_used(source) for where, source in sources.items() if where != "core/locks.py")
    )
    unused = sorted(lock.name for lock in Lock if lock.name not in used)
    assert not unused, f"lock keys nothing takes: {unused}"


def _required_permissions(source: str) -> list[tuple[str, str]]:
    """(alias, permission) of each `Alias = Annotated[Principal, Requires(Permission.X)]`."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not (isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name)):
            continue
        for call in ast.walk(node.value):
            if (
                isinstance(call, ast.Call)
                and isinstance(call.func, ast.Name)
                and call.func.id == "Requires"
                and isinstance(call.args[0], ast.Attribute)
            ):
                found.append((node.targets[0].id, call.args[0].attr))
    return found


def test_each_permission_has_one_dependency_alias_defined_once() -> None:
    """A router names what it needs of the caller with an alias of `oms.auth.dependencies`
    (`ConfigWriter`), so one name never means two permissions in two routers, nor one
    permission two names."""
    sources = _sources()
    elsewhere = sorted(
        where
        for where, source in sources.items()
        if where != "auth/dependencies.py"
        and any(
            isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Requires"
            for node in ast.walk(ast.parse(source))
        )
    )
    assert not elsewhere, f"define the alias in oms.auth.dependencies instead: {elsewhere}"
    aliases = _required_permissions(sources["auth/dependencies.py"])
    assert aliases, "no alias found: the scan is broken"
    permissions = [permission for _, permission in aliases]
    assert len(set(permissions)) == len(permissions), aliases
