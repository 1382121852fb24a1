"""Fixtures of the auth tests: apps with settings of their own, clients from given addresses."""

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any

import pytest
from asgi_lifespan import LifespanManager
from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient

from oms.app import create_app
from oms.core.settings import Settings

AppFactory = Callable[..., AbstractAsyncContextManager[FastAPI]]


@pytest.fixture
def app_with(settings: Settings, clean_database: None) -> AppFactory:
    """`async with app_with(login_max_failures=2) as app:` a started app with those settings."""

    @asynccontextmanager
    async def start(**overrides: Any) -> AsyncIterator[FastAPI]:
        application = create_app(settings.model_copy(update=overrides))
        async with LifespanManager(application):
            yield application

    return start


@asynccontextmanager
async def client_from(app: FastAPI, address: str) -> AsyncIterator[AsyncClient]:
    """A client whose requests come from `address` (what the API sees as the peer)."""
    transport = ASGITransport(app=app, raise_app_exceptions=False, client=(address, 50000))
    async with AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http
