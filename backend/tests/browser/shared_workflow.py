"""Changes a browser test makes to what the whole session shares (the workflow and the
worker configurations), named with a tag of the test's own and undone after it, so that the
demo workflow the other tests rely on is left as it was."""

import asyncio
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import httpx

# Where an order left in a status of a test goes, so that the status can be deleted.
PARKING_STATUS = "cancelled"
T = TypeVar("T")


def _created(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


@dataclass
class WorkflowChanges:
    """Statuses coded `<stem>_<tag>` and configurations named `<stem> <tag>`, whether made
    through the API here or in the app, removed by `undo`."""

    admin: httpx.AsyncClient
    tag: str = field(default_factory=lambda: uuid.uuid4().hex[:8])

    def code(self, stem: str) -> str:
        return f"{stem}_{self.tag}"

    def name(self, stem: str) -> str:
        return f"{stem} {self.tag}"

    async def add_status(self, stem: str, **fields: Any) -> dict[str, Any]:
        body = {"code": self.code(stem), "name": self.name(stem.capitalize()), **fields}
        return _created(await self.admin.post("/api/v1/workflow/statuses", json=body))

    async def add_transition(self, source: str, target: str, roles: list[str]) -> dict[str, Any]:
        body = {"from_status": source, "to_status": target, "roles": roles}
        return _created(await self.admin.post("/api/v1/workflow/transitions", json=body))

    async def add_webhook(self, stem: str, url: str, **fields: Any) -> dict[str, Any]:
        body = {
            "worker_type": "webhook",
            "name": self.name(stem),
            "settings": {"url": url, "timeout_seconds": 5.0},
            **fields,
        }
        return _created(await self.admin.post("/api/v1/worker-configurations", json=body))

    async def undo(self) -> None:
        configurations = await self.admin.get("/api/v1/worker-configurations?limit=100")
        assert configurations.status_code == 200, configurations.text
        for configuration in configurations.json()["items"]:
            if configuration["name"].endswith(f" {self.tag}"):
                deleted = await self.admin.delete(
                    f"/api/v1/worker-configurations/{configuration['id']}"
                )
                assert deleted.status_code in (204, 404), deleted.text
        statuses = await self.admin.get("/api/v1/workflow/statuses")
        assert statuses.status_code == 200, statuses.text
        for status in statuses.json():
            if status["code"].endswith(f"_{self.tag}"):
                await self._remove_status(status)

    async def _remove_status(self, status: dict[str, Any]) -> None:
        code = status["code"]
        orders = await self.admin.get("/api/v1/orders", params={"status": code, "limit": 100})
        assert orders.status_code == 200, orders.text
        if orders.json()["items"]:
            await self._open_way_out(status)
        for order in orders.json()["items"]:
            moved = await self.admin.patch(
                f"/api/v1/orders/{order['id']}/status",
                json={"status": PARKING_STATUS, "note": "Test status removed"},
                headers={"If-Match": f'"{order["version"]}"'},
            )
            assert moved.status_code == 200, moved.text
        transitions = await self.admin.get("/api/v1/workflow/transitions", params={"status": code})
        assert transitions.status_code == 200, transitions.text
        for transition in transitions.json():
            deleted = await self.admin.delete(f"/api/v1/workflow/transitions/{transition['id']}")
            assert deleted.status_code == 204, deleted.text
        deleted = await self.admin.delete(f"/api/v1/workflow/statuses/{code}")
        assert deleted.status_code == 204, deleted.text

    async def _open_way_out(self, status: dict[str, Any]) -> None:
        code = status["code"]
        if status["is_terminal"]:
            opened = await self.admin.patch(
                f"/api/v1/workflow/statuses/{code}", json={"is_terminal": False}
            )
            assert opened.status_code == 200, opened.text
        exits = await self.admin.get("/api/v1/workflow/transitions", params={"status": code})
        if not any(
            transition["from_status"] == code and transition["to_status"] == PARKING_STATUS
            for transition in exits.json()
        ):
            await self.add_transition(code, PARKING_STATUS, ["admin"])


async def eventually(
    probe: Callable[[], Awaitable[T]], until: Callable[[T], bool], *, within: float = 20
) -> T:
    """Calls the async `probe` until its answer satisfies `until`, and returns that answer;
    fails with the last answer after `within` seconds."""
    deadline = time.monotonic() + within
    while True:
        answer = await probe()
        if until(answer):
            return answer
        if time.monotonic() > deadline:
            raise AssertionError(f"still not there after {within} s: {answer!r}")
        await asyncio.sleep(0.25)
