"""A tiny app served through `oms.core.server.serve`, for the graceful-shutdown test."""

import asyncio
import sys

from fastapi import FastAPI

from oms.core.server import serve

app = FastAPI()


@app.get("/slow")
async def slow(seconds: float = 1.5) -> dict[str, str]:
    await asyncio.sleep(seconds)
    return {"status": "finished"}


@app.get("/ready")
async def ready() -> dict[str, str]:
    return {"status": "ok"}


if __name__ == "__main__":
    serve(app, host="127.0.0.1", port=int(sys.argv[1]), shutdown_timeout=10, header_timeout=10)
