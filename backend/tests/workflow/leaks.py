"""The workflow module's ids for the no-leak walk: statuses and transitions are nobody's."""

from oms.workflow import repository
from oms.workflow.demo import seed_demo_workflow
from tests.leak_registry import LeakWorld, shared


async def _demo(world: LeakWorld) -> None:
    async with world.app.state.sessions() as session, session.begin():
        await seed_demo_workflow(session)


@shared("code", prefix="/api/v1/workflow/statuses")
async def a_status(world: LeakWorld) -> str:
    await _demo(world)
    return "new"


@shared("transition_id", prefix="/api/v1/workflow/transitions")
async def a_transition(world: LeakWorld) -> str:
    await _demo(world)
    async with world.app.state.sessions() as session:
        found = await repository.transition_between(session, "new", "confirmed")
    assert found is not None
    return str(found.id)
