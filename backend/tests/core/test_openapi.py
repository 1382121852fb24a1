from httpx import AsyncClient


async def test_openapi_document_is_served(client: AsyncClient) -> None:
    response = await client.get("/api/openapi.json")

    assert response.status_code == 200
    document = response.json()
    assert document["info"]["title"] == "OMS"
    assert "/health" in document["paths"]


async def test_interactive_docs_are_served(client: AsyncClient) -> None:
    response = await client.get("/api/docs")

    assert response.status_code == 200
    assert "swagger" in response.text.lower()
