"""Statuses as customers see them: "On its way" where staff see `shipped`."""

from httpx import AsyncClient

from tests.actors import Actor

STATUSES = "/api/v1/workflow/statuses"
CUSTOMER_STATUSES = "/api/v1/workflow/customer-statuses"


async def test_anyone_reads_the_customer_names_and_descriptions(
    client: AsyncClient, demo_workflow: None
) -> None:
    response = await client.get(CUSTOMER_STATUSES)

    assert response.status_code == 200
    assert response.headers["cache-control"] == "public, max-age=60"
    shipped = next(row for row in response.json() if row["code"] == "shipped")
    assert shipped == {
        "code": "shipped",
        "name": "On its way",
        "description": "Your parcel has left our warehouse.",
        "colour": "#0891b2",
        "is_terminal": False,
        "position": 30,
    }


async def test_without_a_customer_name_customers_see_the_staff_name(
    client: AsyncClient, admin: Actor
) -> None:
    created = await client.post(
        STATUSES, json={"code": "pending", "name": "Pending"}, headers=admin.headers
    )
    assert created.status_code == 201, created.text
    assert created.json()["customer_name"] is None

    [row] = (await client.get(CUSTOMER_STATUSES)).json()
    assert (row["name"], row["description"]) == ("Pending", None)


async def test_customer_names_are_set_changed_and_cleared(
    client: AsyncClient, admin: Actor
) -> None:
    body = {"code": "sent", "name": "Sent", "customer_name": "Underway"}
    assert (await client.post(STATUSES, json=body, headers=admin.headers)).status_code == 201

    changed = await client.patch(
        f"{STATUSES}/sent",
        json={"customer_description": "It is with the carrier."},
        headers=admin.headers,
    )
    assert changed.status_code == 200, changed.text
    assert (changed.json()["customer_name"], changed.json()["customer_description"]) == (
        "Underway",
        "It is with the carrier.",
    )
    cleared = await client.patch(
        f"{STATUSES}/sent", json={"customer_name": None}, headers=admin.headers
    )
    assert cleared.json()["customer_name"] is None
    assert (await client.get(CUSTOMER_STATUSES)).json()[0]["name"] == "Sent"


async def test_an_overlong_or_empty_customer_name_is_refused(
    client: AsyncClient, admin: Actor
) -> None:
    for value in ("", "x" * 101):
        body = {"code": "sent", "name": "Sent", "customer_name": value}
        response = await client.post(STATUSES, json=body, headers=admin.headers)
        assert response.status_code == 400
        assert response.headers["content-type"] == "application/problem+json"
        assert "customer_name" in response.text
    long_description = {"code": "sent", "name": "Sent", "customer_description": "x" * 501}
    response = await client.post(STATUSES, json=long_description, headers=admin.headers)
    assert response.status_code == 400
    assert (await client.get(CUSTOMER_STATUSES)).json() == []
