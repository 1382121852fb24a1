"""Inventory: a stock movement for the order's items, applied to OMS's own stock (when the
configuration asks) and/or sent to an external warehouse endpoint."""

import json
from typing import Any

from oms.integrations.actions.base import ActionContext, ActionResult, Event
from oms.integrations.actions.webhook import signed_headers
from oms.integrations.schemas import InventorySettings
from oms.products import service as products


def stock_movement(event: Event, direction: str) -> dict[str, Any]:
    order = event.data.order
    return {
        "event_id": str(event.id),
        "order_id": str(order.id),
        "order_number": order.number,
        "status": order.status.code,
        "direction": direction,
        "items": [
            {"product_id": str(item.product_id), "sku": item.sku, "quantity": item.quantity}
            for item in order.items
        ],
    }


async def move_stock(context: ActionContext) -> ActionResult:
    settings = InventorySettings.model_validate(context.settings)
    event = context.event
    movement = stock_movement(event, settings.direction)
    responses: list[str] = []
    if settings.apply_locally:
        # Stock belongs to the catalogue module; it changes only through its service.
        lines = [(item.product_id, item.quantity) for item in event.data.order.items]
        await products.release_stock(context.session, lines)
        responses.append(f"released {len(lines)} line(s) locally")
    if settings.warehouse_url is not None:
        body = json.dumps(movement, separators=(",", ":")).encode()
        headers = (
            signed_headers(settings.secret, str(event.id), body)
            if settings.secret
            else {"webhook-id": str(event.id)}
        )
        result = await context.services.http.post_json(
            str(settings.warehouse_url), body, headers, timeout_seconds=settings.timeout_seconds
        )
        if not 200 <= result.status_code < 300:
            return ActionResult(
                succeeded=False,
                response=str(result.status_code),
                error=f"warehouse answered HTTP {result.status_code}: {result.body_excerpt}",
            )
        responses.append(str(result.status_code))
    return ActionResult(succeeded=True, response="; ".join(responses))
