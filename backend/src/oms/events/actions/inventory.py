"""Inventory: a stock movement for the order's items, applied to OMS's own stock (when the
configuration asks) and/or sent to an external warehouse endpoint."""

import json
import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from oms.events.actions.base import ActionContext, ActionResult
from oms.events.actions.webhook import signed_headers
from oms.events.envelope import EventEnvelope, order_field, order_status
from oms.events.outbound import post_json
from oms.events.schemas import InventorySettings
from oms.products import service as products


def stock_movement(envelope: EventEnvelope, direction: str) -> dict[str, Any]:
    items = order_field(envelope, "items") or []
    return {
        "event_id": str(envelope.id),
        "order_id": str(envelope.order_id) if envelope.order_id else None,
        "order_number": order_field(envelope, "number"),
        "status": order_status(envelope),
        "direction": direction,
        "items": [
            {
                "product_id": item.get("product_id"),
                "sku": item.get("sku"),
                "quantity": int(item.get("quantity", 0)),
            }
            for item in items
            if isinstance(item, dict)
        ],
    }


async def _release_locally(session: AsyncSession, movement: dict[str, Any]) -> None:
    """Stock belongs to the catalogue module; it changes only through its service."""
    lines = [
        (uuid.UUID(item["product_id"]), item["quantity"])
        for item in movement["items"]
        if item["product_id"] and item["quantity"] > 0
    ]
    if lines:
        await products.release_stock(session, lines)


async def move_stock(context: ActionContext) -> ActionResult:
    settings = InventorySettings.model_validate(context.settings)
    movement = stock_movement(context.envelope, settings.direction)
    responses: list[str] = []
    if settings.apply_locally:
        await _release_locally(context.session, movement)
        responses.append(f"released {len(movement['items'])} line(s) locally")
    if settings.warehouse_url is not None:
        body = json.dumps(movement, separators=(",", ":")).encode()
        headers = (
            signed_headers(settings.secret, str(context.envelope.id), body)
            if settings.secret
            else {"webhook-id": str(context.envelope.id)}
        )
        result = await post_json(
            context.services.http,
            str(settings.warehouse_url),
            body,
            headers,
            timeout_seconds=settings.timeout_seconds,
            allowed=context.services.allowed_networks,
        )
        if not 200 <= result.status_code < 300:
            return ActionResult(
                succeeded=False,
                response=str(result.status_code),
                error=f"warehouse answered HTTP {result.status_code}: {result.body_excerpt}",
            )
        responses.append(str(result.status_code))
    return ActionResult(succeeded=True, response="; ".join(responses))
