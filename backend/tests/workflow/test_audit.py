"""Workflow changes land in the audit log: statuses and transitions, created, changed, deleted."""

from httpx import AsyncClient
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.actors import Actor
from tests.audit_trail import TEST_CLIENT_ADDRESS, only, recorded

STATUSES = "/api/v1/workflow/statuses"
TRANSITIONS = "/api/v1/workflow/transitions"


async def test_a_status_created_changed_and_deleted_is_recorded(
    client: AsyncClient, admin: Actor, engine: AsyncEngine
) -> None:
    created = await client.post(
        STATUSES, json={"code": "held", "name": "Held"}, headers=admin.headers
    )
    changed = await client.patch(
        f"{STATUSES}/held", json={"colour": "#ff0000"}, headers=admin.headers
    )
    deleted = await client.delete(f"{STATUSES}/held", headers=admin.headers)

    assert [r.status_code for r in (created, changed, deleted)] == [201, 200, 204]
    entry = await only(engine, "status.created")
    assert (entry["actor_id"], entry["address"]) == (admin.user.id, TEST_CLIENT_ADDRESS)
    assert (entry["entity_id"], entry["after"]["name"]) == ("held", "Held")
    update = await only(engine, "status.updated")
    assert update["after"] == {"colour": "#ff0000"}
    assert update["before"] == {"colour": created.json()["colour"]}
    removal = await only(engine, "status.deleted")
    assert (removal["before"]["code"], removal["after"]) == ("held", None)


async def test_a_refused_status_change_records_nothing(
    client: AsyncClient, admin: Actor, engine: AsyncEngine
) -> None:
    await client.post(STATUSES, json={"code": "held", "name": "Held"}, headers=admin.headers)
    taken = await client.post(
        STATUSES, json={"code": "held", "name": "Again"}, headers=admin.headers
    )
    # The only status is the initial one: it cannot stop being initial.
    refused = await client.patch(
        f"{STATUSES}/held", json={"is_initial": False}, headers=admin.headers
    )

    assert (taken.status_code, refused.status_code) == (409, 409)
    assert len(await recorded(engine, "status.created")) == 1
    assert await recorded(engine, "status.updated") == []


async def test_a_transition_created_changed_and_deleted_is_recorded(
    client: AsyncClient, admin: Actor, engine: AsyncEngine
) -> None:
    for code in ("new", "done"):
        await client.post(STATUSES, json={"code": code, "name": code}, headers=admin.headers)
    body = {"from_status": "new", "to_status": "done", "roles": ["manager"]}
    created = await client.post(TRANSITIONS, json=body, headers=admin.headers)
    url = f"{TRANSITIONS}/{created.json()['id']}"
    changed = await client.patch(url, json={"roles": ["admin", "manager"]}, headers=admin.headers)
    duplicate = await client.post(TRANSITIONS, json=body, headers=admin.headers)
    deleted = await client.delete(url, headers=admin.headers)

    assert [r.status_code for r in (created, changed, duplicate, deleted)] == [201, 200, 409, 204]
    entry = await only(engine, "transition.created")
    assert entry["entity_id"] == created.json()["id"]
    assert entry["after"]["roles"] == ["manager"]
    update = await only(engine, "transition.updated")
    assert (update["before"], update["after"]) == (
        {"roles": ["manager"]},
        {"roles": ["admin", "manager"]},
    )
    assert (await only(engine, "transition.deleted"))["before"]["from_status"] == "new"
