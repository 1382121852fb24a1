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
from hypothesis import strategies as st
from hypothesis.errors import FlakyStrategyDefinition
from schemathesis import Case, CheckContext, Response
from schemathesis.config import SchemathesisConfig
from schemathesis.core.failures import FailureGroup

from oms.auth.permissions import Role
from tests.contract.live_oms import LiveOms, live_oms
from tests.core.test_openapi_contract import unconnected_app
from tests.core.test_openapi_headers import undocumented_headers

CONFIG = SchemathesisConfig.from_path(Path(__file__).resolve().parents[2] / "schemathesis.toml")
RESTARTS = 10
ROLES: dict[str, Role | None] = {
    "admin": Role.ADMIN,
    "manager": Role.MANAGER,
    "customer": Role.CUSTOMER,
    "anonymous": None,
}

# OMS refuses addresses on special-use domains (`example.com`, `.test`, ...), as email-validator
# does, though `format: email` allows them: generated addresses are on an ordinary domain.
schemathesis.openapi.format("email", st.emails(domains=st.just("shop.com")))


@schemathesis.check
def documented_headers(ctx: CheckContext, response: Response, case: Case[Any]) -> None:
    """`Location`, `ETag`, `Retry-After`, `WWW-Authenticate` and `Allow` are sent where, and
    only where, the answer's documentation names them (Schemathesis' own check looks only
    at the documented ones)."""
    # A 405 answers a method the path does not serve: documented once, for every path.
    responses = {"405": METHOD_NOT_ALLOWED, **case.operation.definition.raw["responses"]}
    headers = {name: values[0] for name, values in response.headers.items()}
    offences = undocumented_headers(responses, response.status_code, headers)
    if offences:
        raise AssertionError(f"{case.operation.label}: " + "; ".join(offences))


DOCUMENT = unconnected_app().openapi()
METHOD_NOT_ALLOWED = DOCUMENT["components"]["responses"]["MethodNotAllowed"]
schema = schemathesis.openapi.from_dict(DOCUMENT, config=CONFIG)


@pytest.fixture(scope="module")
def oms(server_url: str) -> Iterator[LiveOms]:
    with live_oms(server_url) as live:
        yield live


@pytest.mark.parametrize("role", ROLES)
@schema.parametrize()
def test_every_operation_answers_as_documented(case: Case[Any], role: str, oms: LiveOms) -> None:
    case.call_and_validate(base_url=oms.base_url, headers=oms.headers(ROLES[role]))


@pytest.mark.parametrize("role", ROLES)
def test_chains_of_linked_operations_answer_as_documented(role: str, oms: LiveOms) -> None:
    call = {"base_url": oms.base_url, "headers": oms.headers(ROLES[role])}
    failures: list[str] = []

    class AsRole(schema.as_state_machine()):  # type: ignore[misc]
        def get_call_kwargs(self, case: Case[Any]) -> dict[str, Any]:
            return call

        def validate_response(self, response: Any, case: Case[Any], **kwargs: Any) -> None:
            # Collected rather than raised: Hypothesis would replay the failing chain against a
            # server whose data the chain changed, take another path and report it as flaky.
            try:
                super().validate_response(response, case, **kwargs)
            except FailureGroup as group:
                failures.append(f"{case.method} {case.formatted_path}: {group}")

    settings = hypothesis.settings(
        max_examples=5,
        stateful_step_count=8,
        deadline=None,
        # Examples saved by an earlier run met another server's data: start afresh.
        database=None,
        # The same chains every run, so the build fails on OMS, never on the draw.
        derandomize=True,
        suppress_health_check=list(hypothesis.HealthCheck),
    )
    for _ in range(RESTARTS):
        try:
            AsRole.run(settings=settings)
            break
        except FlakyStrategyDefinition:
            # A chain Hypothesis began again met data an earlier chain changed, so the links it
            # could follow differ; Schemathesis' own runner starts afresh then too.
            continue
    else:
        pytest.fail(f"the chains never ran to the end in {RESTARTS} attempts")

    assert not failures, "\n\n".join(dict.fromkeys(failures))
