"""The shop's currency as a FastAPI dependency, for the routers that show or take prices."""

from typing import Annotated

from fastapi import Depends

from oms.branding import service
from oms.core.db import Session


async def _shop_currency(session: Session) -> str:
    return await service.shop_currency(session)


ShopCurrency = Annotated[str, Depends(_shop_currency)]
"""The ISO 4217 code of every price: the branding's `currency`."""
