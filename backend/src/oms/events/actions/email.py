"""Email: a per-status template, branded, to the customer and/or fixed addresses."""

import uuid
from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, TemplateNotFound, select_autoescape

from oms.auth import service as auth
from oms.events.actions.base import ActionContext, ActionResult
from oms.events.branding import current_branding
from oms.events.envelope import EventEnvelope, EventType, order_field, order_status
from oms.events.mailer import OutgoingEmail
from oms.events.schemas import EmailSettings

ORDER_FIELDS = ("id", "number", "customer_id", "status", "items", "total", "totals", "currency")


@cache
def templates() -> Environment:
    return Environment(
        loader=PackageLoader("oms.events", "templates/email"),
        autoescape=select_autoescape(enabled_extensions=("html.j2",), default=False),
        keep_trailing_newline=False,
    )


def template_name(envelope: EventEnvelope, override: str | None) -> str:
    if override:
        return override
    if envelope.type == EventType.ORDER_CREATED:
        return "order_created"
    status = order_status(envelope) or ""
    try:
        templates().get_template(f"{status}.subject.j2")
    except TemplateNotFound:
        return "status_changed"
    return status


def _order(envelope: EventEnvelope) -> dict[str, Any]:
    order = {name: order_field(envelope, name) for name in ORDER_FIELDS}
    order["items"] = order["items"] or []
    totals = order["totals"] if isinstance(order["totals"], dict) else {}
    order["total"] = order["total"] or totals.get("total") or totals.get("grand_total")
    order["number"] = order["number"] or str(envelope.order_id or "")
    return order


def render(envelope: EventEnvelope, context_vars: dict[str, Any], name: str) -> tuple[str, ...]:
    env = templates()
    subject = env.get_template(f"{name}.subject.j2").render(context_vars).strip()
    html = env.get_template(f"{name}.html.j2").render({**context_vars, "subject": subject})
    text = env.get_template(f"{name}.txt.j2").render(context_vars)
    return subject, html, text


async def _customer_email(context: ActionContext) -> str | None:
    for key in ("customer_email", "email"):
        value = order_field(context.envelope, key)
        if isinstance(value, str) and value:
            return value
    customer = order_field(context.envelope, "customer")
    if isinstance(customer, dict) and isinstance(customer.get("email"), str):
        return str(customer["email"])
    customer_id = order_field(context.envelope, "customer_id")
    if not customer_id:
        return None
    user = await auth.get_user(context.session, uuid.UUID(str(customer_id)))
    return user.email if user else None


async def send_email(context: ActionContext) -> ActionResult:
    settings = EmailSettings.model_validate(context.settings)
    recipients = [str(address) for address in settings.recipients]
    if settings.send_to_customer:
        customer = await _customer_email(context)
        if customer:
            recipients.insert(0, customer)
    if not recipients:
        return ActionResult(succeeded=False, error="no recipient: the order has no email")
    envelope = context.envelope
    data = envelope.data
    variables = {
        "brand": current_branding(context.services.settings),
        "order": _order(envelope),
        "event_type": envelope.type,
        "old_status": data.get("old_status"),
        "new_status": order_status(envelope),
        "note": data.get("note"),
    }
    subject, html, text = render(envelope, variables, template_name(envelope, settings.template))
    reply = await context.services.mailer.send(
        context.session,
        OutgoingEmail(
            sender=context.services.settings.smtp_from,
            recipients=recipients,
            subject=subject,
            html=html,
            text=text,
            event_id=envelope.id,
            configuration_id=context.configuration.id,
        ),
    )
    return ActionResult(succeeded=True, response=reply)
