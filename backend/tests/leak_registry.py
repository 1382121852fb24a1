"""What `tests/test_no_leaks.py` needs to walk every route: ids of another customer's things.

The no-leak test calls every operation in the OpenAPI schema as a customer, with another
customer's ids in the path. A path parameter without a factory here fails that test, so each
module that adds a route with an id registers, in `tests/<module>/leaks.py` (imported
automatically), how to make the other customer's object:

    from tests.leak_registry import LeakWorld, owned, sample_body

    @owned("order_id", prefix="/api/v1/orders")
    async def other_customers_order(world: LeakWorld) -> str:
        order = ...  # create it for world.victim
        world.remember(order.number)  # anything that must never reach the customer
        return str(order.id)

    sample_body("PATCH", "/api/v1/orders/{order_id}/status", {"status": "cancelled"})

`owned` ids belong to the other customer: the customer must get 404 (or a 403 for a route
they may not use at all). `shared` ids are not anyone's (a product): any answer is fine as
long as it carries none of the other customer's data. `victim_data` registers setup that
only creates the other customer's data, so lists can be checked for it.
"""

import importlib
import importlib.util
import pkgutil
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from fastapi import FastAPI

import tests
from tests.actors import Actor


@dataclass
class LeakWorld:
    app: FastAPI
    victim: Actor
    staff: Actor
    markers: set[str] = field(default_factory=set)

    def remember(self, *values: object) -> None:
        """Strings that must never appear in a response to the customer."""
        self.markers.update(str(value) for value in values if str(value))


IdMaker = Callable[[LeakWorld], Awaitable[str]]
Setup = Callable[[LeakWorld], Awaitable[None]]


@dataclass(frozen=True)
class IdFactory:
    param: str
    prefix: str
    owned: bool
    make: IdMaker


FACTORIES: list[IdFactory] = []
SAMPLE_BODIES: dict[tuple[str, str], Any] = {}
SETUPS: list[Setup] = []


def owned(param: str, *, prefix: str = "") -> Callable[[IdMaker], IdMaker]:
    """Registers the maker of another customer's object for `param` in paths under `prefix`."""

    def register(make: IdMaker) -> IdMaker:
        FACTORIES.append(IdFactory(param, prefix, owned=True, make=make))
        return make

    return register


def shared(param: str, *, prefix: str = "") -> Callable[[IdMaker], IdMaker]:
    """Registers the maker of an object nobody owns (catalogue, statuses) for `param`."""

    def register(make: IdMaker) -> IdMaker:
        FACTORIES.append(IdFactory(param, prefix, owned=False, make=make))
        return make

    return register


def sample_body(method: str, path: str, body: Any) -> None:
    """A valid request body for an operation, so the walk reaches the object lookup."""
    SAMPLE_BODIES[(method.upper(), path)] = body


def victim_data(setup: Setup) -> Setup:
    SETUPS.append(setup)
    return setup


def factory_for(path: str, param: str) -> IdFactory | None:
    """The registration for `param` with the longest prefix of `path`."""
    candidates = [f for f in FACTORIES if f.param == param and path.startswith(f.prefix)]
    return max(candidates, key=lambda f: len(f.prefix), default=None)


def load_module_registrations() -> None:
    """Imports every `tests/<module>/leaks.py`."""
    for module in pkgutil.iter_modules(tests.__path__):
        name = f"tests.{module.name}.leaks"
        if module.ispkg and importlib.util.find_spec(name) is not None:
            importlib.import_module(name)
