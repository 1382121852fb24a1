"""Email: a per-status template, branded, to the customer and/or fixed addresses."""

from collections.abc import Mapping
from typing import Any

from oms.integrations import email_templates
from oms.integrations.actions.base import ActionContext, ActionResult, Event
from oms.integrations.branding import email_branding
from oms.integrations.mailer import OutgoingEmail
from oms.integrations.repository import edited_templates
from oms.integrations.schemas import EmailSettings
from oms.outbox import service as outbox


def template_name(
    event: Event, override: str | None, edited: Mapping[str, email_templates.TemplateParts]
) -> str:
    """The configuration's template, else the event's: `order_created`, or the new status's
    code when a template has that key, else `status_changed`."""
    if override:
        return override
    if isinstance(event, outbox.OrderCreatedEvent):
        return "order_created"
    status = event.data.order.status.code
    return status if email_templates.template_exists(status, edited) else "status_changed"


def template_variables(event: Event, brand: Any) -> dict[str, Any]:
    """What a template sees: the event's data (`order`, `actor`, and for a change
    `previous_status` and `note`), its type, and the shop's branding."""
    return {**event.data.model_dump(mode="json"), "event_type": event.type, "brand": brand}


async def send_email(context: ActionContext) -> ActionResult:
    settings = EmailSettings.model_validate(context.settings)
    event = context.event
    recipients = [str(address) for address in settings.recipients]
    if settings.send_to_customer:
        recipients.insert(0, event.data.order.customer.email)
    edited = {
        row.key: email_templates.TemplateParts(row.subject, row.html, row.text)
        for row in await edited_templates(context.session)
    }
    brand = await email_branding(context.session, context.services.settings.public_url)
    key = template_name(event, settings.template, edited)
    mail = email_templates.render(key, template_variables(event, brand), edited)
    reply = await context.services.mailer.send(
        context.session,
        OutgoingEmail(
            sender=context.services.settings.smtp_from,
            recipients=list(dict.fromkeys(recipients)),
            subject=mail.subject,
            html=mail.html,
            text=mail.text,
            event_id=event.id,
            configuration_id=context.configuration.id,
        ),
    )
    return ActionResult(succeeded=True, response=reply)
