"""Helpers for tests that need an app other than the standard fixture's."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from asgi_lifespan import LifespanManager
from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient

from oms.app import create_app
from oms.core.settings import Settings


@asynccontextmanager
async def serving(app: FastAPI) -> AsyncIterator[AsyncClient]:
    async with LifespanManager(app):
        transport = ASGITransport(app=app, raise_app_exceptions=False)
        async with AsyncClient(transport=transport, base_url="http://testserver") as client:
            yield client


@asynccontextmanager
async def running_app(settings: Settings) -> AsyncIterator[AsyncClient]:
    async with serving(create_app(settings)) as client:
        yield client
