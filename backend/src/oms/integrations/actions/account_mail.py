"""Account mail: the email worker's built-in action for account events (a password-reset
link), sent to the account's own address with an editable template, whatever the worker
configurations say."""

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from oms.integrations import email_templates
from oms.integrations.actions.base import ActionResult, WorkerServices
from oms.integrations.branding import email_branding
from oms.integrations.mailer import OutgoingEmail
from oms.integrations.repository import edited_templates
from oms.outbox import service as outbox

TEMPLATE_OF: dict[outbox.AccountEventType, str] = {
    outbox.AccountEventType.USER_PASSWORD_RESET_REQUESTED: "password_reset",
}
ACCOUNT_TEMPLATES = frozenset(TEMPLATE_OF.values())


def account_template_variables(
    data: outbox.PasswordResetRequestedData, brand: Any
) -> dict[str, Any]:
    """What an account template sees: the event's data (`email`, `full_name`, `reset_url`,
    `expires_at`, `user_id`) and the shop's branding."""
    return {
        **data.model_dump(mode="json"),
        "event_type": str(outbox.AccountEventType.USER_PASSWORD_RESET_REQUESTED),
        "brand": brand,
    }


async def send_account_mail(
    session: AsyncSession, event: outbox.AccountEvent, services: WorkerServices
) -> ActionResult:
    edited = {
        row.key: email_templates.TemplateParts(row.subject, row.html, row.text)
        for row in await edited_templates(session)
    }
    brand = await email_branding(session, services.settings.public_url)
    key = TEMPLATE_OF[outbox.AccountEventType(event.type)]
    mail = email_templates.render(key, account_template_variables(event.data, brand), edited)
    reply = await services.mailer.send(
        session,
        OutgoingEmail(
            sender=services.settings.smtp_from,
            recipients=[event.data.email],
            subject=mail.subject,
            html=mail.html,
            text=mail.text,
            event_id=event.id,
        ),
    )
    return ActionResult(succeeded=True, response=reply)
