"""Webhook: POST the event envelope, signed per Standard Webhooks."""

from datetime import UTC, datetime

from standardwebhooks import Webhook

from oms.integrations.actions.base import ActionContext, ActionResult
from oms.integrations.schemas import WebhookSettings


def signed_headers(secret: str, message_id: str, body: bytes) -> dict[str, str]:
    timestamp = datetime.now(UTC).replace(microsecond=0)
    signature = Webhook(secret).sign(message_id, timestamp, body.decode())
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(int(timestamp.timestamp())),
        "webhook-signature": signature,
    }


async def send_webhook(context: ActionContext) -> ActionResult:
    settings = WebhookSettings.model_validate(context.settings)
    assert settings.secret is not None, "secrets are generated when a configuration is saved"
    body = context.event.to_json()
    headers = signed_headers(settings.secret, str(context.event.id), body)
    result = await context.services.http.post_json(
        str(settings.url), body, headers, timeout_seconds=settings.timeout_seconds
    )
    if 200 <= result.status_code < 300:
        return ActionResult(succeeded=True, response=str(result.status_code))
    return ActionResult(
        succeeded=False,
        response=str(result.status_code),
        error=f"HTTP {result.status_code}: {result.body_excerpt}",
    )
