"""The branding module's ids for the no-leak walk: the branding and its images are public."""

import hashlib

from oms.branding import repository
from tests.leak_registry import LeakWorld, shared

PIXEL = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082"
)


@shared("digest", prefix="/api/v1/branding/assets")
async def an_image(world: LeakWorld) -> str:
    digest = hashlib.sha256(PIXEL).hexdigest()
    async with world.app.state.sessions() as session, session.begin():
        await repository.add_asset(session, digest, "image/png", PIXEL)
    return digest


@shared("image", prefix="/api/v1/branding")
async def an_image_slot(world: LeakWorld) -> str:
    return "logo"
