"""The AsyncAPI document of OMS's events, generated from the envelope models.

`oms asyncapi` writes it to `docs/asyncapi.json`; `/api/asyncapi.json` serves it; a test
checks the committed file matches.
"""

import json
from typing import Any, Literal

from pydantic import BaseModel, Field
from pydantic.json_schema import models_json_schema

from oms.outbox.events import (
    ACCOUNT_EVENT_TYPES,
    ENVELOPE_VERSION,
    EVENT_MODELS,
    EXCHANGE,
    workers_hearing,
)
from oms.outbox.transport.amqp import ATTEMPT_HEADER, CONFIGURATIONS_HEADER, MANUAL_HEADER


class MessageHeaders(BaseModel):
    attempt: int = Field(
        alias=ATTEMPT_HEADER, default=1, description="1 for the first delivery, +1 per retry."
    )
    configuration_ids: str | None = Field(
        alias=CONFIGURATIONS_HEADER,
        default=None,
        description="Comma-separated configuration ids a retry or replay is meant for.",
    )
    manual: bool = Field(
        alias=MANUAL_HEADER, default=False, description="A replay or test fire from the API."
    )


EVENTS = tuple((str(event_type), model) for event_type, model in EVENT_MODELS.items())


def _camel(routing_key: str) -> str:
    head, *rest = routing_key.replace(".", "_").split("_")
    return head + "".join(part.title() for part in rest)


def asyncapi_document() -> dict[str, Any]:
    models: list[tuple[type[BaseModel], Literal["serialization"]]] = [
        (model, "serialization") for _, model in EVENTS
    ]
    models.append((MessageHeaders, "serialization"))
    _, schemas = models_json_schema(models, ref_template="#/components/schemas/{model}")
    channels: dict[str, Any] = {}
    operations: dict[str, Any] = {}
    messages: dict[str, Any] = {}
    for routing_key, model in EVENTS:
        name = _camel(routing_key)
        messages[name] = {
            "name": routing_key,
            "title": model.__name__,
            "summary": (model.__doc__ or "").strip(),
            "contentType": "application/json",
            "headers": {"$ref": "#/components/schemas/MessageHeaders"},
            "payload": {"$ref": f"#/components/schemas/{model.__name__}"},
            "bindings": {"amqp": {"deliveryMode": 2, "messageType": routing_key}},
        }
        channels[name] = {
            "address": routing_key,
            "description": f"Routing key `{routing_key}` on the `{EXCHANGE}` topic exchange.",
            "messages": {name: {"$ref": f"#/components/messages/{name}"}},
            "bindings": {
                "amqp": {
                    "is": "routingKey",
                    "exchange": {
                        "name": EXCHANGE,
                        "type": "topic",
                        "durable": True,
                        "autoDelete": False,
                    },
                }
            },
        }
        operations[f"publish_{name}"] = {
            "action": "send",
            "channel": {"$ref": f"#/channels/{name}"},
            "summary": "The outbox relay publishes it, with publisher confirms.",
            "messages": [{"$ref": f"#/channels/{name}/messages/{name}"}],
        }
        for worker in workers_hearing(routing_key):
            summary = f"The {worker} worker consumes it from quorum queue `oms.{worker}`"
            if routing_key in ACCOUNT_EVENT_TYPES:
                summary += " and sends the account mail, whatever its configurations say"
            operations[f"{worker}_{name}"] = {
                "action": "receive",
                "channel": {"$ref": f"#/channels/{name}"},
                "summary": summary + ".",
                "messages": [{"$ref": f"#/channels/{name}/messages/{name}"}],
            }
    return {
        "asyncapi": "3.0.0",
        "info": {
            "title": "OMS events",
            "version": f"{ENVELOPE_VERSION}.0.0",
            "description": "Events OMS publishes when orders are created or change status, "
            "and account events for its own email worker. Every message is a JSON envelope "
            "(`id`, `type`, `version`, `occurred_at`, `order_id`, `test`, `data`); `id` is the "
            "idempotency key. `data.order` is the order as it was when the event happened. "
            "Account events (`user.*`) carry secrets such as a reset link: only the workers "
            "listed as receiving them get them, and no worker configuration forwards them.",
        },
        "defaultContentType": "application/json",
        "servers": {
            "rabbitmq": {
                "host": "localhost:5672",
                "protocol": "amqp",
                "protocolVersion": "0-9-1",
                "description": "The deployment's RabbitMQ (OMS_AMQP_URL).",
            }
        },
        "channels": channels,
        "operations": operations,
        "components": {"messages": messages, "schemas": schemas.get("$defs", {})},
    }


def asyncapi_json() -> str:
    return json.dumps(asyncapi_document(), indent=2, sort_keys=True) + "\n"
