"""GET /api/v1/audit and its CSV export: admin only, filtered, newest first, keyset-paged."""

import csv
import io
import json
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from fastapi import FastAPI
from httpx import AsyncClient

from oms.audit import service
from oms.core import audit
from tests.actors import Actor
from tests.audit_trail import TEST_CLIENT_ADDRESS

AUDIT = "/api/v1/audit"
EXPORT = "/api/v1/audit/export.csv"


async def _record(app: FastAPI, count: int, **fields: str) -> None:
    async with app.state.sessions() as session, session.begin():
        for number in range(count):
            audit.record(
                session,
                action=fields.get("action", "test.done"),
                entity=fields.get("entity", "test"),
                entity_id=fields.get("entity_id", str(number)),
                after={"number": number},
            )


async def _status(client: AsyncClient, actor: Actor, code: str) -> None:
    response = await client.post(
        "/api/v1/workflow/statuses",
        json={"code": code, "name": code.title()},
        headers=actor.headers,
    )
    assert response.status_code == 201, response.text


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


async def test_only_an_admin_reads_the_audit_log(
    client: AsyncClient, manager: Actor, customer: Actor, admin: Actor
) -> None:
    for url in (AUDIT, EXPORT):
        assert (await client.get(url)).status_code == 401
        assert (await client.get(url, headers=manager.headers)).status_code == 403
        assert (await client.get(url, headers=customer.headers)).status_code == 403
        assert (await client.get(url, headers=admin.headers)).status_code == 200


async def test_a_change_through_the_api_names_who_when_and_from_where(
    client: AsyncClient, admin: Actor
) -> None:
    started = datetime.now(UTC)
    await _status(client, admin, "held")

    response = await client.get(AUDIT, params={"action": "status.created"}, headers=admin.headers)

    assert response.status_code == 200, response.text
    [entry] = response.json()["items"]
    assert entry["origin"] == "api"
    assert entry["actor_id"] == str(admin.user.id)
    assert entry["actor_email"] == admin.user.email
    assert entry["actor_roles"] == ["admin"]
    assert entry["address"] == TEST_CLIENT_ADDRESS
    assert entry["request_id"]
    assert datetime.fromisoformat(entry["at"]) >= started - timedelta(seconds=5)
    assert (entry["entity"], entity_id := entry["entity_id"]) == ("status", "held")
    assert entity_id == entry["after"]["code"]
    assert entry["before"] is None


async def test_every_filter_narrows_the_listing(
    app: FastAPI, client: AsyncClient, admin: Actor, manager: Actor
) -> None:
    await _status(client, admin, "held")
    await _status(client, admin, "parked")
    await _record(app, 2, action="test.done", entity="thing")

    async def ids_of(**params: str) -> list[str]:
        response = await client.get(AUDIT, params=params, headers=admin.headers)
        assert response.status_code == 200, response.text
        return [item["entity_id"] for item in response.json()["items"]]

    assert await ids_of(actor=str(admin.user.id)) == ["parked", "held"]
    assert await ids_of(actor=str(manager.user.id)) == []
    assert await ids_of(entity="thing") == ["1", "0"]
    assert await ids_of(entity="status", entity_id="held") == ["held"]
    assert await ids_of(action="status.created") == ["parked", "held"]
    future = (datetime.now(UTC) + timedelta(hours=1)).isoformat()
    past = (datetime.now(UTC) - timedelta(hours=1)).isoformat()
    assert await ids_of(since=future) == []
    assert len(await ids_of(since=past, entity="status")) == 2
    assert await ids_of(until=past) == []
    assert len(await ids_of(until=future, entity="thing")) == 2


async def test_pages_run_newest_first_without_repeats_or_gaps(
    app: FastAPI, client: AsyncClient, admin: Actor
) -> None:
    await _record(app, 3, entity="thing")
    await _record(app, 4, entity="thing", action="test.later")

    seen: list[int] = []
    cursor: str | None = None
    while True:
        params = {"entity": "thing", "limit": "3", **({"cursor": cursor} if cursor else {})}
        page = (await client.get(AUDIT, params=params, headers=admin.headers)).json()
        seen += [item["id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break

    assert len(seen) == 7
    assert seen == sorted(seen, reverse=True)


@pytest.mark.parametrize(
    "params",
    [
        {"cursor": "not-a-cursor"},
        {"actor": "not-a-uuid"},
        {"since": "2026-12-10T09:00:00"},  # no offset: which moment is it?
        {"until": "yesterday"},
        {"entity": "x" * 65},
        {"entity_id": "x" * 401},
        {"action": "x" * 65},
        {"limit": "0"},
        {"limit": "101"},
        {"since": "0001-01-01T00:00:00+14:00"},
        {"until": "9999-12-31T23:59:59-14:00"},
    ],
)
async def test_bad_filters_are_refused_not_failed_on(
    client: AsyncClient, admin: Actor, params: dict[str, str]
) -> None:
    paging = {"cursor", "limit"} & params.keys()  # the export is not paged
    for url in (AUDIT,) if paging else (AUDIT, EXPORT):
        response = await client.get(url, params=params, headers=admin.headers)

        assert response.status_code == 400, (url, params, response.text)
        assert response.headers["content-type"] == "application/problem+json"


async def test_the_export_reads_back_as_the_listing_shows_it(
    app: FastAPI, client: AsyncClient, admin: Actor
) -> None:
    await _status(client, admin, "held")
    listed = (await client.get(AUDIT, params={"entity": "status"}, headers=admin.headers)).json()

    response = await client.get(EXPORT, params={"entity": "status"}, headers=admin.headers)

    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert "attachment" in response.headers["content-disposition"]
    [row] = _rows(response.text)
    [item] = listed["items"]
    assert list(row) == list(item)
    assert row["id"] == str(item["id"])
    assert row["actor_id"] == item["actor_id"]
    assert row["actor_roles"] == "admin"
    assert row["address"] == TEST_CLIENT_ADDRESS
    assert json.loads(row["after"]) == item["after"]
    assert row["before"] == ""
    assert datetime.fromisoformat(row["at"]) == datetime.fromisoformat(item["at"])


async def test_the_export_streams_every_entry_in_batches(
    app: FastAPI, client: AsyncClient, admin: Actor, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(service, "EXPORT_BATCH", 4)
    await _record(app, 10, entity="thing")
    await _record(app, 2, entity="other")

    response = await client.get(EXPORT, params={"entity": "thing"}, headers=admin.headers)
    # What the response streams: the header, then one chunk per batch read.
    chunks = [
        chunk
        async for chunk in service.export_csv(
            app.state.sessions, service.AuditFilter(entity="thing")
        )
    ]

    rows = _rows(response.text)
    assert [row["entity_id"] for row in rows] == [str(number) for number in range(9, -1, -1)]
    assert [len(_rows(chunks[0] + chunk)) for chunk in chunks[1:]] == [4, 4, 2]
    assert "".join(chunks) == response.text


async def test_an_empty_export_is_the_header_alone(client: AsyncClient, admin: Actor) -> None:
    response = await client.get(EXPORT, params={"entity": "nothing"}, headers=admin.headers)

    assert response.status_code == 200
    assert response.text.strip() == ",".join(service.CSV_COLUMNS)


async def test_a_cell_a_spreadsheet_would_run_as_a_formula_stays_text(
    app: FastAPI, client: AsyncClient, admin: Actor
) -> None:
    await _record(app, 1, entity="account", entity_id='=HYPERLINK("http://evil.example")')
    await _record(app, 1, entity="account", entity_id="@SUM(A1)")

    rows = _rows((await client.get(EXPORT, headers=admin.headers)).text)

    assert [row["entity_id"] for row in rows if row["entity"] == "account"] == [
        "'@SUM(A1)",
        '\'=HYPERLINK("http://evil.example")',
    ]


async def test_an_unknown_actor_filter_finds_nothing(client: AsyncClient, admin: Actor) -> None:
    response = await client.get(AUDIT, params={"actor": str(uuid.uuid4())}, headers=admin.headers)

    assert response.json() == {"items": [], "next_cursor": None}
