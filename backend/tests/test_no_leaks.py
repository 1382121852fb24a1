"""No object-level leaks: every operation in the OpenAPI schema, called as a customer with
another customer's ids, answers 404 (or a route-level 403) and never carries their data.

The walk is driven by the schema, so routes added later are covered without editing this
file; their path parameters need a factory in `tests/<module>/leaks.py` (see
`tests/leak_registry.py`), and a parameter without one fails the test.
"""

import json
import re
from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import APIRouter, FastAPI
from httpx import AsyncClient

from oms.app import create_app
from oms.auth.dependencies import Requires
from oms.auth.permissions import ROLE_PERMISSIONS, Permission, Role
from oms.auth.principal import Principal
from oms.core.settings import Settings
from tests.actors import Actor, sign_in_as
from tests.conftest_helpers import serving
from tests.leak_registry import (
    SAMPLE_BODIES,
    SETUPS,
    LeakWorld,
    factory_for,
    load_module_registrations,
)

METHODS = ("get", "post", "put", "patch", "delete")
PATH_PARAM = re.compile(r"{([^}]+)}")
CUSTOMER_PERMISSIONS = ROLE_PERMISSIONS[Role.CUSTOMER]


# A stream never ends by itself, so the walk cannot read its answer whole; each is covered
# by a test of its own that follows it as two customers against a real server.
STREAMED = {"GET /api/v1/orders/events": "tests/orders/test_events.py"}


def _streams(operation: dict[str, Any]) -> bool:
    content = operation.get("responses", {}).get("200", {}).get("content", {})
    return "text/event-stream" in content


@dataclass
class Walk:
    calls: list[str] = field(default_factory=list)
    streamed: list[str] = field(default_factory=list)
    unregistered: list[str] = field(default_factory=list)
    leaks: list[str] = field(default_factory=list)
    owned_calls: int = 0


def _visible(response_text: str, content_type: str) -> str:
    """The response as the customer reads it, minus a problem's `instance` (which only
    echoes the path the customer sent)."""
    if "json" not in content_type:
        return response_text
    try:
        body = json.loads(response_text)
    except ValueError:
        return response_text
    if isinstance(body, dict) and "problem" in content_type:
        body.pop("instance", None)
    return json.dumps(body)


def _route_level_refusal(status: int, body: str) -> bool:
    """A 403 because the customer may not use the route at all (no object was looked at)."""
    if status != 403:
        return False
    problem = json.loads(body)
    permission = problem.get("permission")
    return (
        problem.get("type") == "urn:oms:problem:missing-permission"
        and permission in {p.value for p in Permission}
        and Permission(permission) not in CUSTOMER_PERMISSIONS
    )


async def walk(app: FastAPI, client: AsyncClient, customer: Actor, world: LeakWorld) -> Walk:
    load_module_registrations()
    for setup in SETUPS:
        await setup(world)
    result = Walk()
    made: dict[int, str] = {}
    document = app.openapi()
    for path, item in sorted(document["paths"].items()):
        for method in METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            name = f"{method.upper()} {path}"
            if _streams(operation):
                result.streamed.append(name)
                continue
            url, owned, complete = path, False, True
            for param in PATH_PARAM.findall(path):
                factory = factory_for(path, param)
                if factory is None:
                    result.unregistered.append(f"{name}: no factory for {{{param}}}")
                    complete = False
                    continue
                if id(factory) not in made:
                    made[id(factory)] = await factory.make(world)
                url = url.replace(f"{{{param}}}", made[id(factory)])
                owned = owned or factory.owned
            body_spec = operation.get("requestBody")
            sample = SAMPLE_BODIES.get((method.upper(), path))
            if owned and body_spec and body_spec.get("required") and sample is None:
                result.unregistered.append(f"{name}: no sample body (register one)")
                complete = False
            if not complete:
                continue
            query: dict[str, str] = {}
            for parameter in operation.get("parameters", []):
                factory = factory_for(path, parameter["name"])
                if parameter["in"] == "query" and factory is not None:
                    if id(factory) not in made:
                        made[id(factory)] = await factory.make(world)
                    query[parameter["name"]] = made[id(factory)]
            response = await client.request(
                method.upper(),
                url,
                params=query,
                json=sample if sample is not None else ({} if body_spec else None),
                headers=customer.headers,
            )
            result.calls.append(name)
            visible = _visible(response.text, response.headers.get("content-type", ""))
            seen = sorted(marker for marker in world.markers if marker in visible)
            if seen:
                result.leaks.append(f"{name} -> {response.status_code} shows {seen}")
            if response.status_code >= 500:
                result.leaks.append(f"{name} -> {response.status_code} (server error)")
            if owned:
                result.owned_calls += 1
                if response.status_code != 404 and not _route_level_refusal(
                    response.status_code, response.text
                ):
                    result.leaks.append(
                        f"{name} -> {response.status_code} for another customer's object"
                        " (must be 404)"
                    )
    return result


async def _world(app: FastAPI, admin: Actor) -> LeakWorld:
    victim = await sign_in_as(
        app, WALK_VICTIM_EMAIL, frozenset({Role.CUSTOMER}), full_name="Vera Q. Victim"
    )
    world = LeakWorld(app=app, victim=victim, staff=admin)
    world.remember(victim.user.id, victim.user.email, victim.user.full_name)
    return world


async def test_a_customer_never_reaches_another_customers_data(
    app: FastAPI, client: AsyncClient, customer: Actor, admin: Actor
) -> None:
    world = await _world(app, admin)

    result = await walk(app, client, customer, world)

    assert not result.unregistered, (
        "routes with ids the no-leak test cannot fill; register them in tests/<module>/leaks.py:\n"
        + "\n".join(result.unregistered)
    )
    assert not result.leaks, "\n".join(result.leaks)
    operations = sum(
        1 for item in app.openapi()["paths"].values() for method in METHODS if method in item
    )
    assert sorted(result.streamed) == sorted(STREAMED), "a new stream needs a test in STREAMED"
    assert len(result.calls) + len(result.streamed) == operations
    assert result.owned_calls >= 2, "the walk reached no route with another customer's id"


WALK_VICTIM_EMAIL = "victim.leak@example.test"


def _app_with_unsafe_routes(settings: Settings) -> FastAPI:
    """The real app plus routes with the mistakes the walk must catch."""
    router = APIRouter(prefix="/api/v1/probe")

    @router.get("/widgets/{widget_id}")
    async def widget(widget_id: str) -> dict[str, str]:
        return {"id": widget_id}

    @router.get("/profiles/{user_id}")
    async def profile(user_id: str, _: Annotated[Principal, Requires(Permission.PROFILE)]) -> Any:
        return {"id": user_id, "note": "found it"}

    @router.get("/everyone")
    async def everyone(_: Annotated[Principal, Requires(Permission.PROFILE)]) -> list[str]:
        return [WALK_VICTIM_EMAIL]

    app = create_app(settings)
    app.include_router(router)
    return app


async def test_the_walk_fails_on_unregistered_ids_leaky_lists_and_non_404_answers(
    settings: Settings, clean_database: None
) -> None:
    app = _app_with_unsafe_routes(settings)
    async with serving(app) as client:
        admin = await sign_in_as(app, "root@example.test", frozenset({Role.ADMIN}))
        customer = await sign_in_as(app, "me@example.test", frozenset({Role.CUSTOMER}))
        result = await walk(app, client, customer, await _world(app, admin))

    assert result.unregistered == [
        "GET /api/v1/probe/widgets/{widget_id}: no factory for {widget_id}"
    ]
    assert any(
        leak.startswith("GET /api/v1/probe/profiles/{user_id} -> 200 for another")
        for leak in result.leaks
    )
    assert any(leak.startswith("GET /api/v1/probe/everyone -> 200 shows") for leak in result.leaks)
