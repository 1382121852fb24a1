"""Staff's internal notes on an order: /api/v1/orders/{order_id}/notes. Staff only, audited,
never part of the order customers read nor of any event."""

import uuid
from typing import Any

import pytest
from fastapi import FastAPI
from httpx import AsyncClient
from sqlalchemy.ext.asyncio import AsyncEngine

from oms.auth.permissions import Role
from oms.orders.schemas import MAX_NOTE_LENGTH
from tests.actors import Actor, sign_in_as
from tests.audit_trail import TEST_CLIENT_ADDRESS, only, recorded
from tests.orders.conftest import ORDERS, Product, count, place
from tests.pagination import all_pages, assert_paging_is_checked

NOTE_TEXT = "Customer called: leave it with the neighbour."


@pytest.fixture
async def order(
    client: AsyncClient, customer: Actor, shop: tuple[Product, Product, Product]
) -> dict[str, Any]:
    placed = await place(client, customer, [{"sku": "EBOOK-1", "quantity": 1}])
    assert placed.status_code == 201, placed.text
    body: dict[str, Any] = placed.json()
    return body


def _notes(order: dict[str, Any]) -> str:
    return f"{ORDERS}/{order['id']}/notes"


async def _add(
    client: AsyncClient, actor: Actor, order: dict[str, Any], text: str = NOTE_TEXT
) -> dict[str, Any]:
    response = await client.post(_notes(order), json={"text": text}, headers=actor.headers)
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


async def test_staff_add_a_note_and_read_it_where_location_says(
    client: AsyncClient, manager: Actor, order: dict[str, Any], engine: AsyncEngine
) -> None:
    response = await client.post(
        _notes(order), json={"text": f"  {NOTE_TEXT}\n"}, headers=manager.headers
    )

    assert response.status_code == 201, response.text
    note = response.json()
    assert note == {
        "id": note["id"],
        "order_id": order["id"],
        "text": NOTE_TEXT,
        "author_id": str(manager.user.id),
        "author_email": manager.user.email,
        "created_at": note["created_at"],
    }
    location = response.headers["location"]
    assert location.endswith(f"{_notes(order)}/{note['id']}")
    there = await client.get(location, headers=manager.headers)
    assert there.status_code == 200
    assert there.json() == note
    entry = await only(engine, "order.note_added")
    assert (entry["entity"], entry["entity_id"]) == ("order", order["id"])
    assert (entry["actor_id"], entry["address"]) == (manager.user.id, TEST_CLIENT_ADDRESS)
    assert entry["after"] == {"note_id": note["id"], "text": NOTE_TEXT}


async def test_notes_are_listed_newest_first_a_page_at_a_time(
    client: AsyncClient, manager: Actor, admin: Actor, order: dict[str, Any]
) -> None:
    written = [await _add(client, [manager, admin][n % 2], order, f"note {n}") for n in range(5)]

    pages = await all_pages(client, _notes(order), manager.headers, limit=2)

    assert [len(page) for page in pages] == [2, 2, 1]
    assert [note for page in pages for note in page] == list(reversed(written))


async def test_the_notes_of_one_order_are_not_anothers(
    client: AsyncClient,
    manager: Actor,
    customer: Actor,
    order: dict[str, Any],
) -> None:
    other = (await place(client, customer, [{"sku": "EBOOK-1", "quantity": 1}])).json()
    note = await _add(client, manager, order)

    assert await all_pages(client, _notes(other), manager.headers, limit=10) == [[]]
    elsewhere = await client.get(f"{_notes(other)}/{note['id']}", headers=manager.headers)
    assert elsewhere.status_code == 404
    assert elsewhere.json()["type"] == "urn:oms:problem:order-note-not-found"
    deleted = await client.delete(f"{_notes(other)}/{note['id']}", headers=manager.headers)
    assert deleted.status_code == 404
    assert (
        await client.get(f"{_notes(order)}/{note['id']}", headers=manager.headers)
    ).status_code == 200


async def test_customers_never_see_notes_nor_hear_of_them(
    client: AsyncClient,
    customer: Actor,
    manager: Actor,
    order: dict[str, Any],
    engine: AsyncEngine,
) -> None:
    events_before = await count(engine, "outbox_events")
    note = await _add(client, manager, order, "Suspicious: check the address first.")
    url = _notes(order)

    refused = [
        await client.get(url, headers=customer.headers),
        await client.post(url, json={"text": "mine"}, headers=customer.headers),
        await client.get(f"{url}/{note['id']}", headers=customer.headers),
        await client.delete(f"{url}/{note['id']}", headers=customer.headers),
    ]

    for response in refused:
        assert response.status_code == 403, response.text
        assert response.json()["permission"] == "orders:notes"
    read = await client.get(f"{ORDERS}/{order['id']}", headers=customer.headers)
    listed = await client.get(ORDERS, headers=customer.headers)
    staff_read = await client.get(f"{ORDERS}/{order['id']}", headers=manager.headers)
    for response in (read, listed, staff_read):
        assert response.status_code == 200
        assert "Suspicious" not in response.text
    assert await count(engine, "outbox_events") == events_before
    assert (await client.get(url)).status_code == 401


async def test_the_author_deletes_their_note_and_it_is_audited(
    client: AsyncClient, manager: Actor, order: dict[str, Any], engine: AsyncEngine
) -> None:
    note = await _add(client, manager, order)
    url = f"{_notes(order)}/{note['id']}"

    deleted = await client.delete(url, headers=manager.headers)

    assert deleted.status_code == 204
    assert deleted.content == b""
    assert (await client.get(url, headers=manager.headers)).status_code == 404
    assert (await client.delete(url, headers=manager.headers)).status_code == 404
    entry = await only(engine, "order.note_deleted")
    assert (entry["entity"], entry["entity_id"], entry["actor_id"]) == (
        "order",
        order["id"],
        manager.user.id,
    )
    assert entry["before"] == {
        "note_id": note["id"],
        "text": NOTE_TEXT,
        "author_id": str(manager.user.id),
        "author_email": manager.user.email,
    }
    assert entry["after"] is None


async def test_only_the_author_or_an_admin_deletes_a_note(
    app: FastAPI, client: AsyncClient, manager: Actor, admin: Actor, order: dict[str, Any]
) -> None:
    colleague = await sign_in_as(app, "colleague@example.test", frozenset({Role.MANAGER}))
    mine = await _add(client, manager, order)
    url = f"{_notes(order)}/{mine['id']}"

    refused = await client.delete(url, headers=colleague.headers)
    assert refused.status_code == 403
    assert refused.json()["type"] == "urn:oms:problem:order-note-not-yours"
    assert (await client.get(url, headers=manager.headers)).status_code == 200

    assert (await client.delete(url, headers=admin.headers)).status_code == 204
    assert (await client.get(url, headers=manager.headers)).status_code == 404


@pytest.mark.parametrize(
    "body",
    [
        {"text": ""},
        {"text": "   \n\t "},
        {"text": "x" * (MAX_NOTE_LENGTH + 1)},
        {"text": 42},
        {"text": None},
        {},
        {"text": "fine", "pinned": True},
    ],
    ids=["empty", "blank", "too long", "a number", "null", "missing", "an extra field"],
)
async def test_a_bad_note_is_400_and_writes_nothing(
    client: AsyncClient,
    manager: Actor,
    order: dict[str, Any],
    engine: AsyncEngine,
    body: dict[str, Any],
) -> None:
    response = await client.post(_notes(order), json=body, headers=manager.headers)

    assert response.status_code == 400, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["errors"]
    assert await count(engine, "order_notes") == 0


async def test_the_longest_note_is_taken(
    client: AsyncClient, manager: Actor, order: dict[str, Any]
) -> None:
    note = await _add(client, manager, order, "é" * MAX_NOTE_LENGTH)

    assert len(note["text"]) == MAX_NOTE_LENGTH


async def test_an_unknown_order_or_note_is_404(
    client: AsyncClient, manager: Actor, order: dict[str, Any], engine: AsyncEngine
) -> None:
    nowhere = f"{ORDERS}/{uuid.uuid4()}/notes"
    note = await _add(client, manager, order)

    for response in (
        await client.get(nowhere, headers=manager.headers),
        await client.post(nowhere, json={"text": "hello"}, headers=manager.headers),
        await client.get(f"{nowhere}/{note['id']}", headers=manager.headers),
        await client.delete(f"{nowhere}/{note['id']}", headers=manager.headers),
    ):
        assert response.status_code == 404
        assert response.json()["type"] == "urn:oms:problem:order-not-found"
    unknown_note = await client.get(f"{_notes(order)}/{uuid.uuid4()}", headers=manager.headers)
    assert unknown_note.json()["type"] == "urn:oms:problem:order-note-not-found"
    for malformed in (f"{ORDERS}/not-an-id/notes", f"{_notes(order)}/not-an-id"):
        assert (await client.get(malformed, headers=manager.headers)).status_code == 400
    assert await count(engine, "order_notes") == 1


async def test_a_bad_cursor_is_400_before_the_order_is_looked_up(
    client: AsyncClient, manager: Actor, order: dict[str, Any]
) -> None:
    await assert_paging_is_checked(client, _notes(order), manager.headers)
    # For an order that does not exist too: the cursor is refused first.
    await assert_paging_is_checked(client, f"{ORDERS}/{uuid.uuid4()}/notes", manager.headers)


async def test_an_idempotency_key_adds_the_note_once(
    client: AsyncClient, manager: Actor, order: dict[str, Any], engine: AsyncEngine
) -> None:
    headers = {**manager.headers, "Idempotency-Key": "note-1"}

    first = await client.post(_notes(order), json={"text": NOTE_TEXT}, headers=headers)
    again = await client.post(_notes(order), json={"text": NOTE_TEXT}, headers=headers)
    other = await client.post(_notes(order), json={"text": "something else"}, headers=headers)

    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert again.headers["idempotent-replayed"] == "true"
    assert again.headers["location"] == first.headers["location"]
    assert other.status_code == 422
    assert other.json()["type"] == "urn:oms:problem:idempotency-key-reused"
    assert await count(engine, "order_notes") == 1
    assert len(await recorded(engine, "order.note_added")) == 1
