"""The workflow configuration API: statuses, transitions and their guards."""

from typing import Any

import pytest
from httpx import AsyncClient
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.actors import Actor

STATUSES = "/api/v1/workflow/statuses"
TRANSITIONS = "/api/v1/workflow/transitions"


async def _create_status(client: AsyncClient, admin: Actor, **body: Any) -> dict[str, Any]:
    response = await client.post(STATUSES, json=body, headers=admin.headers)
    assert response.status_code == 201, response.text
    result: dict[str, Any] = response.json()
    return result


async def _transition(
    client: AsyncClient, admin: Actor, source: str, target: str, roles: list[str]
) -> dict[str, Any]:
    response = await client.post(
        TRANSITIONS,
        json={"from_status": source, "to_status": target, "roles": roles},
        headers=admin.headers,
    )
    assert response.status_code == 201, response.text
    result: dict[str, Any] = response.json()
    return result


async def test_demo_workflow_is_listed_by_position(
    client: AsyncClient, manager: Actor, demo_workflow: None
) -> None:
    response = await client.get(STATUSES, headers=manager.headers)

    assert response.status_code == 200
    codes = [row["code"] for row in response.json()]
    assert codes == [
        "new",
        "confirmed",
        "processing",
        "shipped",
        "delivered",
        "cancelled",
        "returned",
    ]
    initial = [row["code"] for row in response.json() if row["is_initial"]]
    assert initial == ["new"]
    transitions = (await client.get(TRANSITIONS, headers=manager.headers)).json()
    cancel = {(t["from_status"], t["to_status"]): t["roles"] for t in transitions}
    assert cancel[("new", "cancelled")] == ["admin", "customer", "manager"]
    assert cancel[("confirmed", "cancelled")] == ["admin", "manager"]
    assert len(transitions) == 7


async def test_demo_seed_is_idempotent(
    client: AsyncClient, admin: Actor, demo_workflow: None, app: Any
) -> None:
    from oms.workflow.demo import seed_demo_workflow

    async with app.state.sessions() as session, session.begin():
        await seed_demo_workflow(session)
    assert len((await client.get(STATUSES, headers=admin.headers)).json()) == 7
    assert len((await client.get(TRANSITIONS, headers=admin.headers)).json()) == 7


async def test_only_admins_write_and_customers_do_not_read(
    client: AsyncClient, manager: Actor, customer: Actor
) -> None:
    body = {"code": "held", "name": "Held"}
    assert (await client.post(STATUSES, json=body, headers=manager.headers)).status_code == 403
    assert (await client.get(STATUSES, headers=customer.headers)).status_code == 403
    assert (await client.get(STATUSES)).status_code == 401
    assert (await client.get(STATUSES, headers=manager.headers)).json() == []


async def test_create_read_update_and_delete_a_status(client: AsyncClient, admin: Actor) -> None:
    created = await client.post(
        STATUSES, json={"code": "held", "name": "Held", "colour": "#aabbcc"}, headers=admin.headers
    )
    assert created.status_code == 201
    assert created.headers["location"].endswith("/api/v1/workflow/statuses/held")
    # The first status becomes the initial one: an order always has somewhere to start.
    assert created.json()["is_initial"] is True

    patched = await client.patch(
        f"{STATUSES}/held", json={"name": "On hold", "position": 5}, headers=admin.headers
    )
    assert patched.status_code == 200
    assert patched.json()["name"] == "On hold"
    assert patched.json()["position"] == 5
    fetched = await client.get(f"{STATUSES}/held", headers=admin.headers)
    assert fetched.json() == patched.json()

    deleted = await client.delete(f"{STATUSES}/held", headers=admin.headers)
    assert deleted.status_code == 204
    assert (await client.get(f"{STATUSES}/held", headers=admin.headers)).status_code == 404


async def test_invalid_status_bodies_are_400(client: AsyncClient, admin: Actor) -> None:
    for body in (
        {"code": "Has Space", "name": "x"},
        {"code": "ok", "name": ""},
        {"code": "ok", "name": "x", "colour": "red"},
        {"code": "ok", "name": "x", "surprise": 1},
    ):
        response = await client.post(STATUSES, json=body, headers=admin.headers)
        assert response.status_code == 400, body
        assert response.headers["content-type"] == "application/problem+json"


async def test_a_duplicate_code_is_409(client: AsyncClient, admin: Actor) -> None:
    await _create_status(client, admin, code="new", name="New")
    response = await client.post(STATUSES, json={"code": "new", "name": "x"}, headers=admin.headers)
    assert response.status_code == 409
    assert response.json()["type"] == "urn:oms:problem:status-code-taken"


async def test_exactly_one_initial_status(client: AsyncClient, admin: Actor) -> None:
    await _create_status(client, admin, code="new", name="New")
    await _create_status(client, admin, code="fresh", name="Fresh", is_initial=True)

    rows = (await client.get(STATUSES, headers=admin.headers)).json()
    assert [row["code"] for row in rows if row["is_initial"]] == ["fresh"]

    unset = await client.patch(
        f"{STATUSES}/fresh", json={"is_initial": False}, headers=admin.headers
    )
    assert unset.status_code == 409
    assert unset.json()["type"] == "urn:oms:problem:initial-status-required"
    deleted = await client.delete(f"{STATUSES}/fresh", headers=admin.headers)
    assert deleted.status_code == 409

    moved = await client.patch(f"{STATUSES}/new", json={"is_initial": True}, headers=admin.headers)
    assert moved.status_code == 200
    rows = (await client.get(STATUSES, headers=admin.headers)).json()
    assert [row["code"] for row in rows if row["is_initial"]] == ["new"]


async def test_the_database_refuses_two_initial_statuses(engine: AsyncEngine, app: Any) -> None:
    async with engine.connect() as connection:
        await connection.execute(
            text("INSERT INTO order_statuses (code, name, is_initial) VALUES ('a', 'A', true)")
        )
        with pytest.raises(IntegrityError, match="uq_order_statuses_initial"):
            await connection.execute(
                text("INSERT INTO order_statuses (code, name, is_initial) VALUES ('b', 'B', true)")
            )
        await connection.rollback()


async def test_an_initial_status_cannot_be_terminal(client: AsyncClient, admin: Actor) -> None:
    response = await client.post(
        STATUSES, json={"code": "done", "name": "Done", "is_terminal": True}, headers=admin.headers
    )
    assert response.status_code == 409
    assert response.json()["type"] == "urn:oms:problem:initial-terminal"


async def test_no_transition_out_of_a_terminal_status(
    client: AsyncClient, admin: Actor, demo_workflow: None
) -> None:
    response = await client.post(
        TRANSITIONS,
        json={"from_status": "cancelled", "to_status": "new", "roles": ["admin"]},
        headers=admin.headers,
    )
    assert response.status_code == 409
    assert response.json()["type"] == "urn:oms:problem:terminal-status"


async def test_a_status_with_exits_cannot_become_terminal(
    client: AsyncClient, admin: Actor, demo_workflow: None
) -> None:
    response = await client.patch(
        f"{STATUSES}/shipped", json={"is_terminal": True}, headers=admin.headers
    )
    assert response.status_code == 409
    assert response.json()["type"] == "urn:oms:problem:terminal-status"
    # A status whose only transitions lead into it may.
    await _create_status(client, admin, code="lost", name="Lost")
    await _transition(client, admin, "shipped", "lost", ["admin"])
    ok = await client.patch(f"{STATUSES}/lost", json={"is_terminal": True}, headers=admin.headers)
    assert ok.status_code == 200


async def test_a_status_used_by_a_transition_cannot_be_deleted_or_renamed(
    client: AsyncClient, admin: Actor, demo_workflow: None
) -> None:
    deleted = await client.delete(f"{STATUSES}/shipped", headers=admin.headers)
    assert deleted.status_code == 409
    assert deleted.json()["type"] == "urn:oms:problem:status-in-use"
    renamed = await client.patch(
        f"{STATUSES}/shipped", json={"code": "sent"}, headers=admin.headers
    )
    assert renamed.status_code == 409
    assert renamed.json()["type"] == "urn:oms:problem:status-in-use"
    assert (await client.get(f"{STATUSES}/shipped", headers=admin.headers)).status_code == 200


async def test_an_unused_status_code_may_change(client: AsyncClient, admin: Actor) -> None:
    await _create_status(client, admin, code="draft", name="Draft")
    response = await client.patch(
        f"{STATUSES}/draft", json={"code": "pending"}, headers=admin.headers
    )
    assert response.status_code == 200
    assert response.json()["code"] == "pending"
    assert (await client.get(f"{STATUSES}/draft", headers=admin.headers)).status_code == 404


async def test_transitions_crud_and_guards(
    client: AsyncClient, admin: Actor, demo_workflow: None
) -> None:
    await _create_status(client, admin, code="on_hold", name="On hold")
    created = await _transition(client, admin, "processing", "on_hold", ["manager", "admin"])
    assert created["roles"] == ["admin", "manager"]
    location = f"{TRANSITIONS}/{created['id']}"

    duplicate = await client.post(
        TRANSITIONS,
        json={"from_status": "processing", "to_status": "on_hold", "roles": ["admin"]},
        headers=admin.headers,
    )
    assert duplicate.status_code == 409
    assert duplicate.json()["type"] == "urn:oms:problem:transition-exists"

    patched = await client.patch(location, json={"roles": ["admin"]}, headers=admin.headers)
    assert patched.json()["roles"] == ["admin"]
    filtered = await client.get(TRANSITIONS, params={"status": "on_hold"}, headers=admin.headers)
    assert [t["id"] for t in filtered.json()] == [created["id"]]

    assert (await client.delete(location, headers=admin.headers)).status_code == 204
    assert (await client.get(location, headers=admin.headers)).status_code == 404
    assert (await client.delete(location, headers=admin.headers)).status_code == 404


async def test_invalid_transitions_are_refused(
    client: AsyncClient, admin: Actor, demo_workflow: None
) -> None:
    cases = [
        ({"from_status": "new", "to_status": "new", "roles": ["admin"]}, 400),
        ({"from_status": "new", "to_status": "shipped", "roles": []}, 400),
        ({"from_status": "new", "to_status": "shipped", "roles": ["wizard"]}, 400),
        ({"from_status": "new", "to_status": "nowhere", "roles": ["admin"]}, 422),
        ({"from_status": "nowhere", "to_status": "new", "roles": ["admin"]}, 422),
    ]
    for body, expected in cases:
        response = await client.post(TRANSITIONS, json=body, headers=admin.headers)
        assert response.status_code == expected, (body, response.text)
    assert len((await client.get(TRANSITIONS, headers=admin.headers)).json()) == 7


async def test_creating_a_status_or_transition_is_idempotent_with_a_key(
    client: AsyncClient, admin: Actor, demo_workflow: None
) -> None:
    key = {**admin.headers, "Idempotency-Key": "status-1"}
    body: dict[str, Any] = {"code": "held", "name": "Held"}
    first = await client.post(STATUSES, json=body, headers=key)
    again = await client.post(STATUSES, json=body, headers=key)
    assert first.status_code == again.status_code == 201
    assert again.headers["idempotent-replayed"] == "true"
    assert again.json() == first.json()
    assert again.headers["location"] == first.headers["location"]
    # Without the key the same body is a duplicate.
    assert (await client.post(STATUSES, json=body, headers=admin.headers)).status_code == 409

    key = {**admin.headers, "Idempotency-Key": "transition-1"}
    body = {"from_status": "new", "to_status": "held", "roles": ["admin"]}
    first = await client.post(TRANSITIONS, json=body, headers=key)
    again = await client.post(TRANSITIONS, json=body, headers=key)
    assert again.headers["idempotent-replayed"] == "true"
    assert again.json()["id"] == first.json()["id"]
    other = await client.post(TRANSITIONS, json={**body, "roles": ["manager"]}, headers=key)
    assert other.status_code == 422


async def test_the_demo_seed_adds_no_exit_to_a_status_made_terminal(
    client: AsyncClient, admin: Actor, app: Any
) -> None:
    from oms.workflow.demo import seed_demo_workflow

    await _create_status(client, admin, code="new", name="New")
    await _create_status(client, admin, code="delivered", name="Delivered", is_terminal=True)
    async with app.state.sessions() as session, session.begin():
        await seed_demo_workflow(session)

    transitions = (await client.get(TRANSITIONS, headers=admin.headers)).json()
    assert ("delivered", "returned") not in {
        (t["from_status"], t["to_status"]) for t in transitions
    }
    assert len(transitions) == 6
    rows = (await client.get(STATUSES, headers=admin.headers)).json()
    assert [row["code"] for row in rows if row["is_initial"]] == ["new"]


async def test_null_fields_leave_a_status_as_it_is(
    client: AsyncClient, admin: Actor, demo_workflow: None
) -> None:
    before = (await client.get(f"{STATUSES}/shipped", headers=admin.headers)).json()
    response = await client.patch(
        f"{STATUSES}/shipped",
        json={"name": None, "colour": None, "releases_stock": True},
        headers=admin.headers,
    )
    assert response.status_code == 200
    assert response.json() == {**before, "releases_stock": True}
    missing = await client.patch(f"{STATUSES}/nowhere", json={"name": "x"}, headers=admin.headers)
    assert missing.status_code == 404
    unknown = f"{TRANSITIONS}/00000000-0000-0000-0000-000000000001"
    assert (
        await client.patch(unknown, json={"roles": ["admin"]}, headers=admin.headers)
    ).status_code == 404
