"""The audit log for the no-leak walk: entries about the other customer, never shown to one."""

from httpx import ASGITransport, AsyncClient

from tests.leak_registry import LeakWorld, victim_data

MARKER_NAME = "Victoria Audit-Marker"


@victim_data
async def victims_profile_change(world: LeakWorld) -> None:
    """The other customer renames themself: an audit entry with their id, email and name."""
    transport = ASGITransport(app=world.app)
    async with AsyncClient(transport=transport, base_url="http://leaks") as client:
        response = await client.patch(
            "/api/v1/me", json={"full_name": MARKER_NAME}, headers=world.victim.headers
        )
        assert response.status_code == 200, response.text
    world.remember(MARKER_NAME)
