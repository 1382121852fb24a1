"""A method a path does not serve answers 405, a problem whose `Allow` names every method the
path serves, however many route definitions serve it; checked for every path in the document."""

import re

from httpx import ASGITransport, AsyncClient

from oms.core.errors import PROBLEM_JSON
from tests.core.test_openapi_contract import METHODS, unconnected_app

PATH_PARAMETER = re.compile(r"\{[^}]+\}")


async def test_a_405_lists_every_method_of_a_path_served_by_several_routes() -> None:
    app = unconnected_app()
    async with AsyncClient(transport=ASGITransport(app=app), base_url="http://oms") as client:
        response = await client.put("/api/v1/products/3f2c8a5e-7b1d-4e9f-a6c3-5d8e2f1b9c07")

    assert response.status_code == 405
    assert response.headers["allow"] == "DELETE, GET, PATCH"
    assert response.headers["content-type"] == PROBLEM_JSON
    assert response.json()["status"] == 405


async def test_every_path_answers_405_with_its_documented_methods_in_allow() -> None:
    app = unconnected_app()
    document = app.openapi()
    wrong: dict[str, str] = {}
    async with AsyncClient(transport=ASGITransport(app=app), base_url="http://oms") as client:
        for path, item in document["paths"].items():
            documented = sorted(method.upper() for method in METHODS if method in item)
            unserved = next(m for m in ("PUT", "DELETE", "POST", "PATCH") if m not in documented)
            response = await client.request(unserved, PATH_PARAMETER.sub("some-id", path))
            allow = response.headers.get("allow")
            if response.status_code != 405 or allow != ", ".join(documented):
                wrong[f"{unserved} {path}"] = f"{response.status_code}, Allow: {allow}"

    assert wrong == {}
