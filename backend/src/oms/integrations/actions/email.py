"""Email: a per-status template, branded, to the customer and/or fixed addresses."""

from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, TemplateNotFound, select_autoescape

from oms.integrations.actions.base import ActionContext, ActionResult, Event
from oms.integrations.branding import email_branding
from oms.integrations.mailer import OutgoingEmail
from oms.integrations.schemas import EmailSettings
from oms.outbox import service as outbox


@cache
def templates() -> Environment:
    return Environment(
        loader=PackageLoader("oms.integrations", "templates/email"),
        autoescape=select_autoescape(enabled_extensions=("html.j2",), default=False),
        keep_trailing_newline=False,
    )


def template_name(event: Event, override: str | None) -> str:
    if override:
        return override
    if isinstance(event, outbox.OrderCreatedEvent):
        return "order_created"
    status = event.data.order.status.code
    try:
        templates().get_template(f"{status}.subject.j2")
    except TemplateNotFound:
        return "status_changed"
    return status


def template_variables(event: Event, brand: Any) -> dict[str, Any]:
    """What a template sees: the event's data (`order`, `actor`, and for a change
    `previous_status` and `note`), its type, and the shop's branding."""
    return {**event.data.model_dump(mode="json"), "event_type": event.type, "brand": brand}


def render(variables: dict[str, Any], name: str) -> tuple[str, str, str]:
    env = templates()
    subject = env.get_template(f"{name}.subject.j2").render(variables).strip()
    html = env.get_template(f"{name}.html.j2").render({**variables, "subject": subject})
    text = env.get_template(f"{name}.txt.j2").render(variables)
    return subject, html, text


async def send_email(context: ActionContext) -> ActionResult:
    settings = EmailSettings.model_validate(context.settings)
    event = context.event
    recipients = [str(address) for address in settings.recipients]
    if settings.send_to_customer:
        recipients.insert(0, event.data.order.customer.email)
    brand = await email_branding(context.session, context.services.settings.public_url)
    variables = template_variables(event, brand)
    subject, html, text = render(variables, template_name(event, settings.template))
    reply = await context.services.mailer.send(
        context.session,
        OutgoingEmail(
            sender=context.services.settings.smtp_from,
            recipients=list(dict.fromkeys(recipients)),
            subject=subject,
            html=html,
            text=text,
            event_id=event.id,
            configuration_id=context.configuration.id,
        ),
    )
    return ActionResult(succeeded=True, response=reply)
