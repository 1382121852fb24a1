"""The workflow graph: what the admin app draws, with what is wrong flagged."""

from typing import Any

from httpx import AsyncClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from oms.workflow.engine import Transition
from oms.workflow.graph import Node, ProblemKind, problems, reachable_from
from tests.actors import Actor

GRAPH = "/api/v1/workflow/graph"
ROLES = frozenset({"admin", "manager", "customer"})


def _t(source: str, target: str, *roles: str) -> Transition:
    return Transition(source, target, frozenset(roles or ("admin",)))


def test_a_sound_workflow_has_no_problems() -> None:
    nodes = [Node("new", True, False), Node("paid", False, False), Node("done", False, True)]
    assert problems(nodes, [_t("new", "paid"), _t("paid", "done")], ROLES) == []


def test_each_kind_of_problem_is_found_once_and_named() -> None:
    nodes = [
        Node("new", True, False),
        Node("paid", False, False),  # a dead end: not terminal, no exit
        Node("lost", False, True),  # nothing leads here
        Node("island", False, False),  # unreachable and a dead end
    ]
    found = problems(nodes, [_t("new", "paid", "ghost")], ROLES)
    assert [(p.kind, p.status, p.transition) for p in found] == [
        (ProblemKind.DEAD_END, "paid", None),
        (ProblemKind.UNREACHABLE, "lost", None),
        (ProblemKind.UNREACHABLE, "island", None),
        (ProblemKind.DEAD_END, "island", None),
        (ProblemKind.NO_ROLE, None, ("new", "paid")),
    ]


def test_without_an_initial_status_that_is_the_problem_not_every_status() -> None:
    found = problems([Node("a", False, True)], [], ROLES)
    assert [p.kind for p in found] == [ProblemKind.NO_INITIAL_STATUS]
    assert problems([], [], ROLES) == []


def test_reachability_follows_cycles_without_looping() -> None:
    edges = [_t("a", "b"), _t("b", "a"), _t("b", "c")]
    assert reachable_from("a", edges) == {"a", "b", "c"}
    assert reachable_from("c", edges) == {"c"}


async def test_the_demo_workflow_graph_is_sound(
    client: AsyncClient, manager: Actor, demo_workflow: None
) -> None:
    response = await client.get(GRAPH, headers=manager.headers)
    assert response.status_code == 200, response.text
    body = response.json()
    assert [s["code"] for s in body["statuses"]][:2] == ["new", "confirmed"]
    assert len(body["transitions"]) == 7
    assert body["problems"] == []


async def test_the_graph_flags_a_transition_no_known_role_holds_by_its_id(
    client: AsyncClient, admin: Actor, demo_workflow: None, engine: AsyncEngine
) -> None:
    async with engine.begin() as connection:
        # Roles outside OMS's (say, from an old import) leave the transition untakeable.
        await connection.execute(
            text(
                "UPDATE order_status_transitions SET roles = '{warehouse}'"
                " WHERE from_status = 'shipped' AND to_status = 'delivered'"
            )
        )
    body = (await client.get(GRAPH, headers=admin.headers)).json()
    shipped_delivered = next(
        t["id"]
        for t in body["transitions"]
        if (t["from_status"], t["to_status"]) == ("shipped", "delivered")
    )
    kinds: list[dict[str, Any]] = body["problems"]
    assert [(p["kind"], p["transition_id"]) for p in kinds] == [("no_role", shipped_delivered)]


async def test_the_graph_is_for_staff_only(client: AsyncClient, customer: Actor) -> None:
    assert (await client.get(GRAPH)).status_code == 401
    response = await client.get(GRAPH, headers=customer.headers)
    assert response.status_code == 403
    assert response.headers["content-type"] == "application/problem+json"
