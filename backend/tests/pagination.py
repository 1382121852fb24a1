"""What every keyset-paged listing must do over HTTP, for the modules' listing tests."""

from typing import Any

from httpx import AsyncClient

from oms.core.pagination import MAX_LIMIT

Item = dict[str, Any]


async def all_pages(
    client: AsyncClient,
    url: str,
    headers: dict[str, str],
    *,
    limit: int,
    params: dict[str, Any] | None = None,
    max_pages: int = 50,
) -> list[list[Item]]:
    """Every page of the listing, following `next_cursor` until it is null; each page is
    checked to have the shared shape and at most `limit` items."""
    pages: list[list[Item]] = []
    cursor: str | None = None
    for _ in range(max_pages):
        query = {**(params or {}), "limit": limit}
        if cursor is not None:
            query["cursor"] = cursor
        response = await client.get(url, params=query, headers=headers)
        assert response.status_code == 200, response.text
        page = response.json()
        assert set(page) == {"items", "next_cursor"}, page
        assert len(page["items"]) <= limit
        pages.append(page["items"])
        cursor = page["next_cursor"]
        if cursor is None:
            return pages
    raise AssertionError(f"{url} still had a next_cursor after {max_pages} pages")


async def assert_paging_is_checked(client: AsyncClient, url: str, headers: dict[str, str]) -> None:
    """A cursor the listing did not issue, and a limit outside 1 to 100, are 400 problems."""
    # Not base64 / an empty key / a key of a shape no listing uses (one boolean).
    for cursor in ("not a cursor!", "W10", "W1siYiIsdHJ1ZV1d"):
        response = await client.get(url, params={"cursor": cursor}, headers=headers)
        assert response.status_code == 400, (cursor, response.text)
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["type"] == "urn:oms:problem:invalid-cursor"
    for limit in (0, MAX_LIMIT + 1):
        response = await client.get(url, params={"limit": limit}, headers=headers)
        assert response.status_code == 400, (limit, response.text)
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["errors"][0]["field"] == "limit"
