"""/api/v1/me/addresses: each user's own saved shipping addresses, checked like an order's."""

from typing import Any

from httpx import AsyncClient

from tests.actors import Actor
from tests.orders.conftest import ADDRESS

ADDRESSES = "/api/v1/me/addresses"


async def _save(client: AsyncClient, actor: Actor, **fields: Any) -> dict[str, Any]:
    response = await client.post(ADDRESSES, json={**ADDRESS, **fields}, headers=actor.headers)
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


async def test_a_customer_saves_reads_changes_and_deletes_an_address(
    client: AsyncClient, customer: Actor
) -> None:
    created = await client.post(
        ADDRESSES,
        json={**ADDRESS, "label": " Home ", "country": "gb", "phone": "+44 20 7946 0000"},
        headers=customer.headers,
    )
    assert created.status_code == 201, created.text
    address = created.json()
    assert created.headers["location"].endswith(f"{ADDRESSES}/{address['id']}")
    assert created.headers["etag"] == '"0"'
    assert address["label"] == "Home"
    assert address["country"] == "GB"
    assert address["is_default"] is False
    assert {key: address[key] for key in ADDRESS} == {**ADDRESS, "country": "GB"}

    read = await client.get(f"{ADDRESSES}/{address['id']}", headers=customer.headers)
    assert read.status_code == 200
    assert read.json() == address
    assert read.headers["etag"] == '"0"'
    unchanged = await client.get(
        f"{ADDRESSES}/{address['id']}", headers={**customer.headers, "If-None-Match": '"0"'}
    )
    assert unchanged.status_code == 304

    changed = await client.patch(
        f"{ADDRESSES}/{address['id']}",
        json={"city": "Cambridge", "label": None, "phone": None},
        headers={**customer.headers, "If-Match": '"0"'},
    )
    assert changed.status_code == 200, changed.text
    assert changed.headers["etag"] == '"1"'
    assert changed.json()["city"] == "Cambridge"
    assert changed.json()["label"] is None
    assert changed.json()["phone"] is None
    assert changed.json()["line1"] == ADDRESS["line1"]

    stale = await client.patch(
        f"{ADDRESSES}/{address['id']}",
        json={"city": "Oxford"},
        headers={**customer.headers, "If-Match": '"0"'},
    )
    assert stale.status_code == 412
    assert stale.headers["content-type"] == "application/problem+json"
    assert stale.json()["current_etag"] == '"1"'

    deleted = await client.delete(f"{ADDRESSES}/{address['id']}", headers=customer.headers)
    assert deleted.status_code == 204
    gone = await client.get(f"{ADDRESSES}/{address['id']}", headers=customer.headers)
    assert gone.status_code == 404
    assert gone.json()["type"] == "urn:oms:problem:address-not-found"


async def test_another_users_address_is_not_found_for_any_method(
    client: AsyncClient, customer: Actor, other_customer: Actor, admin: Actor
) -> None:
    theirs = await _save(client, other_customer, label="Secret hideout")

    for actor in (customer, admin):
        url = f"{ADDRESSES}/{theirs['id']}"
        assert (await client.get(url, headers=actor.headers)).status_code == 404
        patched = await client.patch(url, json={"city": "Stolen"}, headers=actor.headers)
        assert patched.status_code == 404
        assert (await client.delete(url, headers=actor.headers)).status_code == 404
        listed = await client.get(ADDRESSES, headers=actor.headers)
        assert listed.json() == {"items": [], "next_cursor": None}
    still = await client.get(f"{ADDRESSES}/{theirs['id']}", headers=other_customer.headers)
    assert still.json() == theirs


async def test_addresses_need_a_token(client: AsyncClient) -> None:
    assert (await client.get(ADDRESSES)).status_code == 401
    assert (await client.post(ADDRESSES, json=ADDRESS)).status_code == 401


async def test_validation_errors_name_the_fields_as_for_an_order(
    client: AsyncClient, customer: Actor
) -> None:
    bad = await client.post(
        ADDRESSES,
        json={
            **ADDRESS,
            "country": "XX",
            "postal_code": "",
            "phone": "call me",
            "label": "x" * 51,
            "extra": 1,
        },
        headers=customer.headers,
    )
    assert bad.status_code == 400
    assert bad.headers["content-type"] == "application/problem+json"
    fields = {error["field"] for error in bad.json()["errors"]}
    assert {"country", "postal_code", "phone", "label", "extra"} <= fields

    missing = await client.post(ADDRESSES, json={"name": "Ada"}, headers=customer.headers)
    assert missing.status_code == 400
    assert {"line1", "city", "postal_code", "country"} <= {
        error["field"] for error in missing.json()["errors"]
    }

    saved = await _save(client, customer)
    for change, field in (
        ({"country": "Narnia"}, "country"),
        ({"name": None}, "name"),
        ({"line1": "   "}, "line1"),
        ({"is_default": "yes"}, "is_default"),
    ):
        response = await client.patch(
            f"{ADDRESSES}/{saved['id']}", json=change, headers=customer.headers
        )
        assert response.status_code == 400, (change, response.text)
        assert field in {error["field"] for error in response.json()["errors"]}, response.text


async def test_one_default_at_a_time(client: AsyncClient, customer: Actor) -> None:
    home = await _save(client, customer, label="Home", is_default=True)
    work = await _save(client, customer, label="Work", is_default=True)

    async def defaults() -> dict[str, bool]:
        page = (await client.get(ADDRESSES, headers=customer.headers)).json()
        return {item["label"]: item["is_default"] for item in page["items"]}

    assert await defaults() == {"Home": False, "Work": True}
    home_now = await client.get(f"{ADDRESSES}/{home['id']}", headers=customer.headers)
    assert home_now.headers["etag"] == '"1"', "losing the default is a change of its own"

    back = await client.patch(
        f"{ADDRESSES}/{home['id']}", json={"is_default": True}, headers=customer.headers
    )
    assert back.status_code == 200
    assert await defaults() == {"Home": True, "Work": False}

    none = await client.patch(
        f"{ADDRESSES}/{home['id']}", json={"is_default": False}, headers=customer.headers
    )
    assert none.status_code == 200
    assert await defaults() == {"Home": False, "Work": False}
    assert work["is_default"] is True


async def test_at_most_twenty_addresses_and_pages_through_them(
    client: AsyncClient, customer: Actor
) -> None:
    for number in range(20):
        await _save(client, customer, label=f"Address {number:02d}")

    refused = await client.post(
        ADDRESSES, json={**ADDRESS, "label": "One too many"}, headers=customer.headers
    )
    assert refused.status_code == 409
    assert refused.json()["type"] == "urn:oms:problem:too-many-addresses"
    assert refused.json()["limit"] == 20

    seen: list[str] = []
    cursor: str | None = None
    while True:
        params: dict[str, str | int] = {"limit": 7}
        if cursor:
            params["cursor"] = cursor
        page = (await client.get(ADDRESSES, params=params, headers=customer.headers)).json()
        seen.extend(item["label"] for item in page["items"])
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == [f"Address {number:02d}" for number in range(20)]

    bad_cursor = await client.get(ADDRESSES, params={"cursor": "nope"}, headers=customer.headers)
    assert bad_cursor.status_code == 400
    assert bad_cursor.json()["type"] == "urn:oms:problem:invalid-cursor"

    first = (await client.get(ADDRESSES, headers=customer.headers)).json()["items"][0]
    await client.delete(f"{ADDRESSES}/{first['id']}", headers=customer.headers)
    assert (await client.post(ADDRESSES, json=ADDRESS, headers=customer.headers)).status_code == 201
