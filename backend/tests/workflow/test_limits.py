"""Statuses and transitions are listed unpaged, so a workflow has at most so many of each."""

import asyncio

from httpx import AsyncClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from oms.workflow.service import MAX_STATUSES, MAX_TRANSITIONS
from tests.actors import Actor

STATUSES = "/api/v1/workflow/statuses"
TRANSITIONS = "/api/v1/workflow/transitions"


async def _insert_statuses(engine: AsyncEngine, count: int) -> None:
    """Statuses s000, s001, ...; the first is the initial one."""
    async with engine.begin() as connection:
        await connection.execute(
            text(
                "INSERT INTO order_statuses (code, name, is_initial, position)"
                " SELECT 's' || lpad(n::text, 3, '0'), 'S' || n, n = 0, n"
                " FROM generate_series(0, :last) AS n"
            ),
            {"last": count - 1},
        )


async def test_the_status_beyond_the_limit_is_refused_naming_it(
    client: AsyncClient, admin: Actor, engine: AsyncEngine
) -> None:
    await _insert_statuses(engine, MAX_STATUSES)

    refused = await client.post(
        STATUSES, json={"code": "one_more", "name": "x"}, headers=admin.headers
    )
    listed = await client.get(STATUSES, headers=admin.headers)
    deleted = await client.delete(f"{STATUSES}/s099", headers=admin.headers)
    again = await client.post(
        STATUSES, json={"code": "one_more", "name": "x"}, headers=admin.headers
    )

    assert refused.status_code == 409
    assert refused.headers["content-type"] == "application/problem+json"
    assert refused.json()["type"] == "urn:oms:problem:workflow-limit-reached"
    assert refused.json()["limit"] == MAX_STATUSES == 100
    assert "100 statuses" in refused.json()["detail"]
    assert len(listed.json()) == MAX_STATUSES, "the whole workflow, unpaged"
    assert deleted.status_code == 204
    assert again.status_code == 201


async def test_concurrent_creations_cannot_pass_the_limit_together(
    client: AsyncClient, admin: Actor, engine: AsyncEngine
) -> None:
    await _insert_statuses(engine, MAX_STATUSES - 1)

    responses = await asyncio.gather(
        *(
            client.post(STATUSES, json={"code": f"late_{n}", "name": "x"}, headers=admin.headers)
            for n in range(5)
        )
    )

    assert sorted(response.status_code for response in responses) == [201, 409, 409, 409, 409]
    assert len((await client.get(STATUSES, headers=admin.headers)).json()) == MAX_STATUSES


async def test_the_transition_beyond_the_limit_is_refused_naming_it(
    client: AsyncClient, admin: Actor, engine: AsyncEngine
) -> None:
    await _insert_statuses(engine, 33)  # 33 * 32 possible transitions: more than the limit
    async with engine.begin() as connection:
        await connection.execute(
            text(
                "INSERT INTO order_status_transitions (from_status, to_status, roles)"
                " SELECT a.code, b.code, '{admin}' FROM order_statuses a, order_statuses b"
                " WHERE a.code <> b.code ORDER BY a.code, b.code LIMIT :limit"
            ),
            {"limit": MAX_TRANSITIONS},
        )
    body = {"from_status": "s032", "to_status": "s000", "roles": ["admin"]}

    refused = await client.post(TRANSITIONS, json=body, headers=admin.headers)
    listed = await client.get(TRANSITIONS, headers=admin.headers)

    assert refused.status_code == 409
    assert refused.json()["type"] == "urn:oms:problem:workflow-limit-reached"
    assert refused.json()["limit"] == MAX_TRANSITIONS == 1_000
    assert "1000 transitions" in refused.json()["detail"]
    assert len(listed.json()) == MAX_TRANSITIONS, "every transition, unpaged"
