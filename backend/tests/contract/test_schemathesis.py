"""Schemathesis against a live OMS, as each role and anonymously: every check, on generated
requests to every operation and on chains of them that follow the document's links (create,
read, change). `backend/schemathesis.toml` bounds the examples and names each exception.

The document is the app's own, built without a database (the live server serves the same), so
the operations are known when the tests are collected."""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import hypothesis
import pytest
import schemathesis
from schemathesis import Case
from schemathesis.config import SchemathesisConfig

from oms.auth.permissions import Role
from tests.contract.live_oms import LiveOms, live_oms
from tests.core.test_openapi_contract import unconnected_app

CONFIG = SchemathesisConfig.from_path(Path(__file__).resolve().parents[2] / "schemathesis.toml")
ROLES: dict[str, Role | None] = {
    "admin": Role.ADMIN,
    "manager": Role.MANAGER,
    "customer": Role.CUSTOMER,
    "anonymous": None,
}

schema = schemathesis.openapi.from_dict(unconnected_app().openapi(), config=CONFIG)


@pytest.fixture(scope="module")
def oms(server_url: str) -> Iterator[LiveOms]:
    with live_oms(server_url) as live:
        yield live


@pytest.mark.parametrize("role", ROLES)
@schema.parametrize()
def test_every_operation_answers_as_documented(case: Case, role: str, oms: LiveOms) -> None:
    case.call_and_validate(base_url=oms.base_url, headers=oms.headers(ROLES[role]))


@pytest.mark.parametrize("role", ROLES)
def test_chains_of_linked_operations_answer_as_documented(role: str, oms: LiveOms) -> None:
    call = {"base_url": oms.base_url, "headers": oms.headers(ROLES[role])}

    class AsRole(schema.as_state_machine()):  # type: ignore[misc]
        def get_call_kwargs(self, case: Case) -> dict[str, Any]:
            return call

    AsRole.run(
        settings=hypothesis.settings(
            max_examples=20,
            stateful_step_count=8,
            deadline=None,
            suppress_health_check=list(hypothesis.HealthCheck),
        )
    )
