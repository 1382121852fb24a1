from httpx import AsyncClient

from oms.core.settings import Settings
from tests.conftest_helpers import running_app


async def test_health_reports_each_check_ok(client: AsyncClient) -> None:
    response = await client.get("/health")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok"}}


async def test_liveness_needs_no_dependency(client: AsyncClient) -> None:
    response = await client.get("/health/live")

    assert response.status_code == 200
    assert response.json()["status"] == "ok"


async def test_health_is_503_and_names_the_database_when_it_is_unreachable() -> None:
    settings = Settings(
        _env_file=None,
        database_url="postgresql://postgres@127.0.0.1:1/nowhere",
        db_connect_timeout=1,
    )
    async with running_app(settings) as client:
        response = await client.get("/health")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["database"].startswith("error")
