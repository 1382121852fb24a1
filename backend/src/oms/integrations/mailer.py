"""Sending mail: over SMTP when `OMS_SMTP_URL` is set, else into the `sent_emails` table
(the development sink, shown at `/api/v1/sent-emails`)."""

import uuid
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Protocol
from urllib.parse import parse_qs, unquote, urlsplit

import aiosmtplib
from sqlalchemy.ext.asyncio import AsyncSession

from oms.integrations.models import SentEmail


@dataclass(frozen=True)
class OutgoingEmail:
    sender: str
    recipients: list[str]
    subject: str
    html: str
    text: str
    event_id: uuid.UUID | None = None
    configuration_id: uuid.UUID | None = None

    def to_message(self) -> EmailMessage:
        message = EmailMessage()
        message["From"] = self.sender
        message["To"] = ", ".join(self.recipients)
        message["Subject"] = self.subject
        if self.event_id is not None:
            # Lets a mail system recognise the same notification if it is ever sent twice.
            sent_for = self.configuration_id or "account"
            message["Message-ID"] = f"<{self.event_id}.{sent_for}@oms>"
        message.set_content(self.text)
        message.add_alternative(self.html, subtype="html")
        return message


class Mailer(Protocol):
    async def send(self, session: AsyncSession, email: OutgoingEmail) -> str:
        """Send it; return the server's reply (for the delivery log)."""


@dataclass(frozen=True)
class SmtpServer:
    host: str
    port: int
    username: str | None
    password: str | None
    use_tls: bool
    start_tls: bool
    timeout: float = 15.0


def parse_smtp_url(url: str) -> SmtpServer:
    """`smtp://user:pass@host:port?starttls=true` or `smtps://…` (TLS from the start)."""
    parts = urlsplit(url)
    if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
        raise ValueError("OMS_SMTP_URL must be smtp://host[:port] or smtps://host[:port]")
    query = parse_qs(parts.query)
    starttls = query.get("starttls", ["false"])[0].lower() in ("1", "true", "yes")
    use_tls = parts.scheme == "smtps"
    return SmtpServer(
        host=parts.hostname,
        port=parts.port or (465 if use_tls else 587 if starttls else 25),
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
        use_tls=use_tls,
        start_tls=starttls and not use_tls,
    )


class SmtpMailer:
    def __init__(self, server: SmtpServer) -> None:
        self.server = server

    async def send(self, session: AsyncSession, email: OutgoingEmail) -> str:
        server = self.server
        _, reply = await aiosmtplib.send(
            email.to_message(),
            hostname=server.host,
            port=server.port,
            username=server.username,
            password=server.password,
            use_tls=server.use_tls,
            start_tls=server.start_tls,
            timeout=server.timeout,
        )
        return reply


async def check_smtp(url: str) -> str:
    """For `oms check`: the server greets, takes EHLO (and STARTTLS, and the login when the
    URL has one); its greeting is returned. Nothing is sent."""
    server = parse_smtp_url(url)
    client = aiosmtplib.SMTP(
        hostname=server.host,
        port=server.port,
        use_tls=server.use_tls,
        start_tls=server.start_tls,
        timeout=server.timeout,
    )
    greeting = await client.connect()
    try:
        if server.username and server.password:
            await client.login(server.username, server.password)
    finally:
        await client.quit()
    return greeting.message


class SinkMailer:
    """Keeps mail in the database, in the delivery's own transaction."""

    async def send(self, session: AsyncSession, email: OutgoingEmail) -> str:
        session.add(
            SentEmail(
                id=uuid.uuid4(),
                event_id=email.event_id,
                configuration_id=email.configuration_id,
                sender=email.sender,
                recipients=email.recipients,
                subject=email.subject,
                html=email.html,
                text_body=email.text,
            )
        )
        await session.flush()
        return "stored in sent_emails (no OMS_SMTP_URL)"


def mailer_for(smtp_url: str | None) -> Mailer:
    return SmtpMailer(parse_smtp_url(smtp_url)) if smtp_url else SinkMailer()
