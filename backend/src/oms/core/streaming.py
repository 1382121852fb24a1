"""Streaming answers: ending a stream cooperatively, so its last chunk is sent."""

import asyncio
import contextlib
from collections.abc import AsyncGenerator, AsyncIterator
from typing import Protocol, TypeVar

T = TypeVar("T")


class Signal(Protocol):
    async def wait(self) -> object: ...


async def until(stop: Signal, items: AsyncGenerator[T, None]) -> AsyncIterator[T]:
    """The items of `items` until `stop` is set: then it is closed and the stream ends as if
    it had run out, rather than being cut off mid-response."""
    stopped = asyncio.ensure_future(stop.wait())
    try:
        while True:
            following = asyncio.ensure_future(anext(items))
            await asyncio.wait({following, stopped}, return_when=asyncio.FIRST_COMPLETED)
            if not following.done():
                following.cancel()
                with contextlib.suppress(asyncio.CancelledError, StopAsyncIteration):
                    await following
                return
            try:
                item = following.result()
            except StopAsyncIteration:
                return
            yield item
    finally:
        stopped.cancel()
        await items.aclose()
