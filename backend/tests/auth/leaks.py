"""The auth module's ids for the no-leak walk: another customer's user id."""

from tests.leak_registry import LeakWorld, owned, sample_body


@owned("user_id")
async def other_customers_user_id(world: LeakWorld) -> str:
    return str(world.victim.user.id)


sample_body(
    "PATCH",
    "/api/v1/users/{user_id}",
    {"full_name": "Renamed by someone else", "roles": ["admin"], "is_active": False},
)
