"""Fixtures of the workflow tests."""

import pytest
from fastapi import FastAPI

from oms.workflow.demo import seed_demo_workflow


@pytest.fixture
async def demo_workflow(app: FastAPI) -> None:
    async with app.state.sessions() as session, session.begin():
        await seed_demo_workflow(session)
