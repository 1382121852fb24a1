"""HTTP endpoints of the outbox module: the AsyncAPI document of the events it publishes."""

from fastapi import APIRouter

from oms.outbox import service

public_router = APIRouter(tags=["events"])


@public_router.get("/api/asyncapi.json", include_in_schema=False)
async def asyncapi() -> dict[str, object]:
    return service.asyncapi_document()
