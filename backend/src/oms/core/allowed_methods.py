"""The methods a path answers, for the `Allow` header of a 405.

Starlette names only the methods of the first route whose path matches, but one path is often
served by several route definitions (`GET` and `PATCH /products/{id}` are two functions), so
the app's routes are all asked.
"""

from fastapi.routing import iter_route_contexts
from starlette.requests import Request
from starlette.routing import Match


def allowed_methods(request: Request) -> list[str]:
    """Every method some route of the app serves at the request's path, sorted."""
    allowed: set[str] = set()
    for route in iter_route_contexts(request.app.router.routes):
        methods = route.methods
        if methods and route.matches(request.scope)[0] is not Match.NONE:
            allowed |= methods
    return sorted(allowed)
