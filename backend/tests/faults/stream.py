"""A stream of orders placed through the HTTP API by a few concurrent clients, keeping what
each request got back: an answer (status, order id) or no answer at all."""

import asyncio
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

from tests.events.services import eventually

ADDRESS: dict[str, str] = {
    "name": "Ada Lovelace",
    "line1": "12 Analytical Row",
    "city": "London",
    "postal_code": "N1 9GU",
    "country": "GB",
}
# A client whose request got no answer (the API is down) tries again after this pause.
RETRY_PAUSE = 0.05


@dataclass
class Outcome:
    """One order request; `note` is unique, so the order it may have written can be found."""

    note: str
    client: int
    started: float
    finished: float = 0.0
    status: int | None = None
    order_id: str | None = None
    content_type: str = ""
    error: str | None = None

    @property
    def answered(self) -> bool:
        return self.status is not None

    @property
    def placed(self) -> bool:
        return self.status == 201


@dataclass
class _Client:
    number: int
    token: str
    current: Outcome | None = None
    outcomes: list[Outcome] = field(default_factory=list)


class OrderStream:
    """Clients place orders (`items` each) as fast as the API answers until `stop()`;
    `base_url()` is asked before every request, so the API may move to a new process."""

    def __init__(
        self, base_url: Callable[[], str], tokens: list[str], items: list[dict[str, Any]]
    ) -> None:
        self.base_url = base_url
        # Every order's note starts with it: what an earlier test left in flight is told apart.
        self.tag = f"stream-{uuid.uuid4().hex[:8]}"
        self.items = items
        self.clients = [_Client(number, token) for number, token in enumerate(tokens)]
        self._stopping = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []

    @property
    def outcomes(self) -> list[Outcome]:
        return sorted(
            (outcome for client in self.clients for outcome in client.outcomes),
            key=lambda outcome: outcome.started,
        )

    def placed(self) -> int:
        return sum(outcome.placed for client in self.clients for outcome in client.outcomes)

    def start(self) -> "OrderStream":
        self._tasks = [
            asyncio.create_task(self._run(client), name=f"order-client-{client.number}")
            for client in self.clients
        ]
        return self

    async def stop(self) -> list[Outcome]:
        """Lets every request in flight get its answer, then returns all outcomes."""
        self._stopping.set()
        await asyncio.gather(*self._tasks)
        return self.outcomes

    async def until_placed(self, count: int, *, within: float = 60.0) -> None:
        async def enough() -> bool:
            self._raise_if_a_client_died()
            return self.placed() >= count

        await eventually(enough, within=within)

    async def until_refused(self, count: int, *, within: float = 60.0) -> None:
        """Until `count` requests more got an answer other than 201."""
        refused = self._refused() + count

        async def enough() -> bool:
            self._raise_if_a_client_died()
            return self._refused() >= refused

        await eventually(enough, within=within)

    def _refused(self) -> int:
        return sum(
            outcome.answered and not outcome.placed
            for client in self.clients
            for outcome in client.outcomes
        )

    async def until_every_client_waits(self, seconds: float, *, within: float = 60.0) -> None:
        """Until every client has had a request in flight for `seconds` or more."""

        async def all_waiting() -> bool:
            self._raise_if_a_client_died()
            now = time.monotonic()
            return all(
                client.current is not None and now - client.current.started >= seconds
                for client in self.clients
            )

        await eventually(all_waiting, within=within, interval=0.01)

    def in_flight(self) -> list[Outcome]:
        return [client.current for client in self.clients if client.current is not None]

    def _raise_if_a_client_died(self) -> None:
        for task in self._tasks:
            if task.done():
                task.result()
                raise AssertionError(f"{task.get_name()} stopped before the stream did")

    async def _run(self, client: _Client) -> None:
        limits = httpx.Limits(max_connections=1)
        async with httpx.AsyncClient(timeout=60, limits=limits) as http:
            sequence = 0
            while not self._stopping.is_set():
                sequence += 1
                outcome = Outcome(
                    f"{self.tag}-{client.number}-{sequence}", client.number, time.monotonic()
                )
                client.current = outcome
                await self._place(http, client.token, outcome)
                client.current = None
                client.outcomes.append(outcome)
                if not outcome.answered:
                    await asyncio.sleep(RETRY_PAUSE)

    async def replay(self, outcome: Outcome) -> httpx.Response:
        """The same request again, with the same `Idempotency-Key`."""
        async with httpx.AsyncClient(timeout=60) as http:
            return await self._post(http, self.clients[outcome.client].token, outcome)

    async def _post(self, http: httpx.AsyncClient, token: str, outcome: Outcome) -> httpx.Response:
        return await http.post(
            f"{self.base_url()}/api/v1/orders",
            json={"items": self.items, "shipping_address": ADDRESS, "note": outcome.note},
            headers={"Authorization": f"Bearer {token}", "Idempotency-Key": outcome.note},
        )

    async def _place(self, http: httpx.AsyncClient, token: str, outcome: Outcome) -> None:
        try:
            response = await self._post(http, token, outcome)
        except httpx.TransportError as error:
            outcome.error = f"{type(error).__name__}: {error}"
        else:
            outcome.status = response.status_code
            outcome.content_type = response.headers.get("content-type", "")
            if response.status_code == 201:
                outcome.order_id = response.json()["id"]
            else:
                outcome.error = response.text[:500]
        outcome.finished = time.monotonic()
