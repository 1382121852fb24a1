"""FastAPI dependencies on the deployment's settings that routers of several modules use."""

from typing import Annotated

from fastapi import Depends, Request


async def _currency(request: Request) -> str:
    # async: a plain `def` dependency would cost a thread-pool hop on every request.
    currency: str = request.app.state.settings.currency
    return currency


Currency = Annotated[str, Depends(_currency)]
"""The ISO 4217 code of every price (`OMS_CURRENCY`)."""
