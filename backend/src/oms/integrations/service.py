"""The integrations module's public interface: the use cases behind the admin API (worker
configurations, deliveries, replay, sent mail, email templates) and the operations commands
(`oms check`, `oms dlq`)."""

import uuid
from datetime import UTC, datetime
from typing import Any

import httpx
from pydantic import TypeAdapter
from sqlalchemy.ext.asyncio import AsyncSession

from oms.branding import service as branding
from oms.core import audit
from oms.core.errors import InvalidFields, ProblemError, field_error
from oms.core.etags import etag, if_match_passes
from oms.core.pagination import DEFAULT_LIMIT, Page, decode_cursor, page_of
from oms.integrations import email_templates, http, repository
from oms.integrations.actions.account_mail import ACCOUNT_TEMPLATES, account_template_variables
from oms.integrations.branding import email_branding
from oms.integrations.errors import (
    ConfigurationNotFound,
    DeliveryNotFound,
    DuplicateConfigurationName,
    EditedTemplateNotFound,
    EmailTemplateLimitReached,
    EmailTemplateNotFound,
    NotReplayable,
    StaleEmailTemplate,
    WorkerTypeMismatch,
)
from oms.integrations.http import FetchedFile
from oms.integrations.mailer import check_smtp
from oms.integrations.models import EmailTemplate, WorkerConfiguration
from oms.integrations.samples import sample_event_data, sample_password_reset
from oms.integrations.schemas import (
    WORKER_CONFIGURATION_READ,
    DeliveryRead,
    DeliveryStatus,
    EmailConfigurationUpdate,
    EmailSettings,
    EmailTemplateRead,
    EmailTemplateWrite,
    InventoryConfigurationUpdate,
    RenderedEmailRead,
    ReplayRead,
    SentEmailRead,
    TestFireRead,
    TestFireRequest,
    WebhookConfigurationUpdate,
    WorkerConfigurationCreate,
    WorkerConfigurationPage,
    WorkerConfigurationRead,
    WorkerConfigurationUpdate,
    is_masked,
    mask_secret,
    new_webhook_secret,
)
from oms.outbox import service as outbox
from oms.workflow import service as workflow

__all__ = [
    "MAX_EDITED_TEMPLATES",
    "SECRET_FIELDS",
    "WORKER_CONFIGURATION_UPDATE",
    "DeliveryRead",
    "EmailSettings",
    "EmailTemplateWrite",
    "FetchedFile",
    "WorkerConfigurationCreate",
    "WorkerConfigurationRead",
    "WorkerConfigurationUpdate",
    "WorkerType",
    "all_configurations",
    "check_smtp_server",
    "create_configuration",
    "delete_configuration",
    "email_template_problems",
    "fetch_file",
    "fire_test_event",
    "get_configuration",
    "latest_failed_deliveries",
    "list_configurations",
    "list_deliveries",
    "list_email_templates",
    "list_sent_emails",
    "put_email_template",
    "replay_delivery",
    "reset_email_template",
    "secrets_differ",
    "update_configuration",
]

WorkerType = outbox.WorkerType

SECRET_FIELDS = ("secret",)
WORKER_CONFIGURATION_UPDATE: TypeAdapter[
    EmailConfigurationUpdate | WebhookConfigurationUpdate | InventoryConfigurationUpdate
] = TypeAdapter(WorkerConfigurationUpdate)


# --- worker configurations ---


def _with_secret(worker_type: str, settings: dict[str, Any]) -> dict[str, Any]:
    """Webhooks always sign; warehouse calls sign too once a URL is set."""
    signs = worker_type == outbox.WorkerType.WEBHOOK or (
        worker_type == outbox.WorkerType.INVENTORY and bool(settings.get("warehouse_url"))
    )
    if signs and not settings.get("secret"):
        return {**settings, "secret": new_webhook_secret()}
    return settings


def configuration_read(configuration: WorkerConfiguration) -> WorkerConfigurationRead:
    settings = dict(configuration.settings)
    for field in SECRET_FIELDS:
        if isinstance(settings.get(field), str):
            settings[field] = mask_secret(settings[field])
    return WORKER_CONFIGURATION_READ.validate_python(
        {
            "id": configuration.id,
            "worker_type": configuration.worker_type,
            "name": configuration.name,
            "enabled": configuration.enabled,
            "trigger_events": configuration.trigger_events,
            "trigger_statuses": configuration.trigger_statuses,
            "settings": settings,
            "created_at": configuration.created_at,
            "updated_at": configuration.updated_at,
        }
    )


async def list_configurations(
    session: AsyncSession,
    worker_type: outbox.WorkerType | None = None,
    *,
    cursor: str | None = None,
    limit: int = DEFAULT_LIMIT,
) -> WorkerConfigurationPage:
    """By worker type, then name, then id (unique, so pages are stable)."""
    rows = await repository.list_configurations(
        session,
        worker_type,
        after=decode_cursor(cursor, str, str, uuid.UUID) if cursor else None,
        limit=limit + 1,
    )
    page = page_of(rows, limit, lambda row: (row.worker_type, row.name, row.id), configuration_read)
    return WorkerConfigurationPage(items=page.items, next_cursor=page.next_cursor)


async def all_configurations(session: AsyncSession) -> list[WorkerConfigurationRead]:
    """Every configuration (secrets masked), by worker type, then name, then id."""
    rows = await repository.list_configurations(session, None, after=None, limit=None)
    return [configuration_read(row) for row in rows]


async def secrets_differ(
    session: AsyncSession, configuration_id: uuid.UUID, secrets: dict[str, str]
) -> list[str]:
    """Those of `secrets` (field -> value) that are not what the configuration stores."""
    configuration = await _get(session, configuration_id)
    return [field for field, value in secrets.items() if configuration.settings.get(field) != value]


async def fetch_file(
    url: str, *, max_bytes: int, timeout_seconds: float, allowed_networks: list[str]
) -> FetchedFile:
    """A file from the web, through the same guard as webhooks (internal addresses refused
    unless allowed); raises `ValueError` saying why it cannot be had."""
    try:
        return await http.fetch_file(
            url,
            max_bytes=max_bytes,
            timeout_seconds=timeout_seconds,
            allowed=http.parse_networks(allowed_networks),
        )
    except (http.TargetRefused, http.TooLarge) as error:
        raise ValueError(str(error)) from error
    except httpx.HTTPStatusError as error:
        raise ValueError(f"the server answered {error.response.status_code}") from error
    except httpx.HTTPError as error:
        raise ValueError(f"cannot fetch it: {error!s} ({type(error).__name__})") from error


async def _get(
    session: AsyncSession, configuration_id: uuid.UUID, *, for_update: bool = False
) -> WorkerConfiguration:
    configuration = await repository.get_configuration(
        session, configuration_id, for_update=for_update
    )
    if configuration is None:
        raise ConfigurationNotFound()
    return configuration


async def get_configuration(
    session: AsyncSession, configuration_id: uuid.UUID
) -> WorkerConfigurationRead:
    return configuration_read(await _get(session, configuration_id))


async def _ensure_unique_name(
    session: AsyncSession, worker_type: str, name: str, own_id: uuid.UUID | None = None
) -> None:
    existing = await repository.find_configuration_by_name(session, worker_type, name)
    if existing is not None and existing.id != own_id:
        raise DuplicateConfigurationName(name)


async def _ensure_statuses_exist(session: AsyncSession, codes: list[str]) -> None:
    """A trigger on a status the workflow does not have could never fire."""
    unknown = set(await workflow.unknown_statuses(session, codes))
    if unknown:
        raise InvalidFields(
            [
                field_error(
                    f"trigger_statuses.{index}",
                    f"there is no order status {code!r}",
                    type_="unknown_status",
                )
                for index, code in enumerate(codes)
                if code in unknown
            ]
        )


def _refuse_masked_secret(settings: dict[str, Any]) -> None:
    for field in SECRET_FIELDS:
        if is_masked(settings.get(field)):
            raise InvalidFields(
                [
                    field_error(
                        f"settings.{field}",
                        "a masked secret only keeps a stored one; give a whsec_… secret or "
                        "leave it out to have one generated",
                    )
                ]
            )


def _audit_configuration(
    session: AsyncSession,
    action: str,
    *,
    before: WorkerConfigurationRead | None = None,
    after: WorkerConfigurationRead | None = None,
) -> None:
    """Recorded as the API shows a configuration: secrets masked."""
    shown = after or before
    assert shown is not None
    audit.record(
        session,
        action=action,
        entity="worker_configuration",
        entity_id=shown.id,
        before=before,
        after=after,
    )


async def create_configuration(
    session: AsyncSession, body: WorkerConfigurationCreate
) -> WorkerConfigurationRead:
    await _ensure_statuses_exist(session, body.trigger_statuses)
    await _ensure_unique_name(session, body.worker_type, body.name)
    settings = body.settings.model_dump(mode="json")
    _refuse_masked_secret(settings)
    configuration = WorkerConfiguration(
        id=uuid.uuid4(),
        worker_type=body.worker_type,
        name=body.name,
        enabled=body.enabled,
        trigger_events=[str(event) for event in body.trigger_events],
        trigger_statuses=list(body.trigger_statuses),
        settings=_with_secret(body.worker_type, settings),
    )
    await repository.add_configuration(session, configuration)
    created = configuration_read(configuration)
    _audit_configuration(session, "worker_configuration.created", after=created)
    return created


def _kept_secrets(new: dict[str, Any], stored: dict[str, Any]) -> dict[str, Any]:
    """A masked or missing secret keeps the stored one; a new whsec_… replaces it."""
    settings = dict(new)
    for field in SECRET_FIELDS:
        if settings.get(field) is None or is_masked(settings[field]):
            if stored.get(field):
                settings[field] = stored[field]
            else:
                settings.pop(field, None)
    return settings


async def update_configuration(
    session: AsyncSession, configuration_id: uuid.UUID, body: WorkerConfigurationUpdate
) -> WorkerConfigurationRead:
    configuration = await _get(session, configuration_id, for_update=True)
    if body.worker_type != configuration.worker_type:
        raise WorkerTypeMismatch(configuration.worker_type, body.worker_type)
    before = configuration_read(configuration)
    if body.name is not None:
        await _ensure_unique_name(session, configuration.worker_type, body.name, configuration.id)
        configuration.name = body.name
    if body.enabled is not None:
        configuration.enabled = body.enabled
    if body.trigger_events is not None:
        configuration.trigger_events = [str(event) for event in body.trigger_events]
    if body.trigger_statuses is not None:
        await _ensure_statuses_exist(session, body.trigger_statuses)
        configuration.trigger_statuses = list(body.trigger_statuses)
    if body.settings is not None:
        settings = _kept_secrets(body.settings.model_dump(mode="json"), configuration.settings)
        configuration.settings = _with_secret(configuration.worker_type, settings)
    configuration.updated_at = datetime.now(UTC)
    await repository.save_configuration(session, configuration)
    after = configuration_read(configuration)
    _audit_configuration(session, "worker_configuration.updated", before=before, after=after)
    return after


async def delete_configuration(session: AsyncSession, configuration_id: uuid.UUID) -> None:
    configuration = await _get(session, configuration_id, for_update=True)
    before = configuration_read(configuration)
    await repository.delete_configuration(session, configuration)
    _audit_configuration(session, "worker_configuration.deleted", before=before)


async def fire_test_event(
    session: AsyncSession, configuration_id: uuid.UUID, request: TestFireRequest, *, currency: str
) -> TestFireRead:
    """A sample event for this configuration only, through the whole pipeline."""
    configuration = await _get(session, configuration_id)
    status = await workflow.status_info(session, request.status)
    if status is None:
        raise InvalidFields([field_error("status", f"there is no order status {request.status!r}")])
    data = sample_event_data(
        request.event_type, outbox.StatusRef(code=status.code, name=status.name), currency=currency
    )
    event_id = await outbox.record_test_event(
        session,
        data,
        occurred_at=datetime.now(UTC),
        worker=configuration.worker_type,
        configuration_id=configuration.id,
    )
    return TestFireRead(event_id=event_id, event_type=request.event_type)


# --- deliveries ---


async def list_deliveries(
    session: AsyncSession,
    *,
    status: DeliveryStatus | None = None,
    worker: outbox.WorkerType | None = None,
    order_id: uuid.UUID | None = None,
    event_id: uuid.UUID | None = None,
    configuration_id: uuid.UUID | None = None,
    cursor: str | None = None,
    limit: int = DEFAULT_LIMIT,
) -> Page[DeliveryRead]:
    rows = await repository.list_deliveries(
        session,
        status=status,
        worker=worker,
        order_id=order_id,
        event_id=event_id,
        configuration_id=configuration_id,
        after=decode_cursor(cursor, datetime, uuid.UUID) if cursor else None,
        limit=limit + 1,
    )
    return page_of(rows, limit, lambda row: (row.started_at, row.id), DeliveryRead.model_validate)


async def replay_delivery(session: AsyncSession, delivery_id: uuid.UUID) -> ReplayRead:
    """Queue the event again for the delivery's configuration (through the outbox)."""
    delivery = await repository.get_delivery(session, delivery_id)
    if delivery is None:
        raise DeliveryNotFound()
    if delivery.status not in ("dead", "failed"):
        raise NotReplayable("Only a dead or failed delivery can be replayed.")
    if delivery.event_type in outbox.ACCOUNT_EVENT_TYPES:
        raise NotReplayable("Account mail is not replayed: the user asks for a new one.")
    if delivery.configuration_id is None:
        raise NotReplayable("The configuration of this delivery was deleted.")
    await repository.lock_action(session, delivery.event_id, delivery.configuration_id)
    _, succeeded = await repository.attempts_so_far(
        session, delivery.event_id, delivery.configuration_id
    )
    if succeeded:
        raise NotReplayable("A later attempt of this delivery already succeeded.")
    queued = await outbox.resend_event(
        session,
        delivery.event_id,
        worker=delivery.worker,
        configuration_id=delivery.configuration_id,
    )
    if not queued:
        raise NotReplayable("The event of this delivery is no longer in the outbox.")
    return ReplayRead(
        event_id=delivery.event_id,
        configuration_id=delivery.configuration_id,
        worker=outbox.WorkerType(delivery.worker),
    )


async def check_smtp_server(smtp_url: str) -> str:
    """The server's greeting once it took EHLO (and STARTTLS and the login, when asked for);
    raises what the connection raised otherwise."""
    return await check_smtp(smtp_url)


async def latest_failed_deliveries(session: AsyncSession, limit: int) -> list[DeliveryRead]:
    """The latest failed or dead deliveries, newest first."""
    rows = await repository.latest_failures(session, limit)
    return [DeliveryRead.model_validate(row) for row in rows]


async def list_sent_emails(
    session: AsyncSession, *, cursor: str | None = None, limit: int = DEFAULT_LIMIT
) -> Page[SentEmailRead]:
    """Newest first, keyset-paged on (created_at, id)."""
    rows = await repository.list_sent_emails(
        session,
        after=decode_cursor(cursor, datetime, uuid.UUID) if cursor else None,
        limit=limit + 1,
    )
    return page_of(rows, limit, lambda row: (row.created_at, row.id), SentEmailRead.model_validate)


# --- email templates ---

MAX_EDITED_TEMPLATES = 200
SAMPLE_STATUS = outbox.StatusRef(code="shipped", name="Shipped")


def _template_read(key: str, edited: EmailTemplate | None) -> EmailTemplateRead:
    default = email_templates.shipped().get(key)
    source = edited or default
    if source is None:
        raise EmailTemplateNotFound(key)
    return EmailTemplateRead(
        key=key,
        subject=source.subject,
        html=source.html,
        text=source.text,
        shipped=default is not None,
        edited=edited is not None,
        version=edited.version if edited else 0,
        updated_at=edited.updated_at if edited else None,
    )


def _template_shown(key: str, edited: EmailTemplate | None) -> EmailTemplateRead | None:
    """The template `key` as it reads now; None when there is no such template."""
    if edited is None and key not in email_templates.shipped():
        return None
    return _template_read(key, edited)


def _audit_template(
    session: AsyncSession,
    action: str,
    key: str,
    before: EmailTemplateRead | None,
    after: EmailTemplateRead | None,
) -> None:
    audit.record(
        session, action=action, entity="email_template", entity_id=key, before=before, after=after
    )


async def list_email_templates(session: AsyncSession) -> list[EmailTemplateRead]:
    edited = {row.key: row for row in await repository.edited_templates(session)}
    keys = sorted(edited.keys() | email_templates.shipped().keys())
    return [_template_read(key, edited.get(key)) for key in keys]


async def get_email_template(session: AsyncSession, key: str) -> EmailTemplateRead:
    return _template_read(key, await repository.edited_template(session, key))


async def _sample_variables(
    session: AsyncSession,
    key: str,
    public_url: str,
    brand_draft: branding.BrandingWrite | None = None,
) -> dict[str, Any]:
    """A sample event of the kind the template `key` is for, and the branding (or a draft
    of it)."""
    brand = await email_branding(session, public_url, brand_draft)
    if key in ACCOUNT_TEMPLATES:
        return account_template_variables(sample_password_reset(public_url=public_url), brand)
    if key == "order_created":
        try:
            initial = await workflow.initial_status(session)
            ref = outbox.StatusRef(code=initial.code, name=initial.name)
        except ProblemError:  # no workflow yet
            ref = SAMPLE_STATUS
        event_type = outbox.EventType.ORDER_CREATED
    else:
        found = await workflow.status_info(session, key)
        ref = outbox.StatusRef(code=found.code, name=found.name) if found else SAMPLE_STATUS
        event_type = outbox.EventType.ORDER_STATUS_CHANGED
    data = sample_event_data(event_type, ref, currency=brand["currency"])
    return {**data.model_dump(mode="json"), "event_type": event_type, "brand": brand}


def _refusal(error: email_templates.TemplateRefused) -> InvalidFields:
    return InvalidFields(
        [
            field_error(
                problem.part,
                f"line {problem.line}: {problem.reason}" if problem.line else problem.reason,
                type_="template",
            )
            for problem in error.problems
        ],
        detail="The template does not parse or render; see `errors` for each part.",
    )


async def _checked(
    session: AsyncSession,
    key: str,
    parts: email_templates.TemplateParts,
    public_url: str,
    brand_draft: branding.BrandingWrite | None = None,
) -> email_templates.RenderedEmail:
    variables = await _sample_variables(session, key, public_url, brand_draft)
    try:
        return email_templates.check(key, parts, variables)
    except email_templates.TemplateRefused as error:
        raise _refusal(error) from error


async def email_template_problems(
    session: AsyncSession, key: str, data: EmailTemplateWrite, *, public_url: str
) -> list[dict[str, str]]:
    """What keeps `data` from being the template `key` (each `{field, message}` naming its
    part), checked as an edit would be; empty if none."""
    parts = email_templates.TemplateParts(data.subject, data.html, data.text)
    try:
        await _checked(session, key, parts, public_url)
    except InvalidFields as error:
        problems: list[dict[str, str]] = error.extra["errors"]
        return problems
    return []


async def put_email_template(
    session: AsyncSession,
    key: str,
    data: EmailTemplateWrite,
    *,
    if_match: str | None,
    actor: uuid.UUID | None,
    public_url: str,
) -> EmailTemplateRead:
    """Create or replace the edited template `key`, once it parses and renders a sample."""
    parts = email_templates.TemplateParts(data.subject, data.html, data.text)
    await _checked(session, key, parts, public_url)
    await repository.lock_email_templates(session)
    row = await repository.edited_template(session, key, lock=True)
    if row is not None and not if_match_passes(if_match, row.version):
        raise StaleEmailTemplate(etag(row.version))
    before = _template_shown(key, row)
    if row is None:
        if if_match is not None and not if_match_passes(if_match, 0):
            raise StaleEmailTemplate(etag(0))
        if await repository.count_edited_templates(session) >= MAX_EDITED_TEMPLATES:
            raise EmailTemplateLimitReached(MAX_EDITED_TEMPLATES)
        row = EmailTemplate(key=key, version=0)
        row.subject, row.html, row.text = data.subject, data.html, data.text
        await repository.add_edited_template(session, row)
    row.subject, row.html, row.text = data.subject, data.html, data.text
    row.version += 1
    row.updated_at = datetime.now(UTC)
    row.updated_by = actor
    await session.flush()
    after = _template_read(key, row)
    _audit_template(session, "email_template.put", key, before, after)
    return after


async def reset_email_template(session: AsyncSession, key: str) -> None:
    row = await repository.edited_template(session, key, lock=True)
    if row is None:
        raise EditedTemplateNotFound(key)
    before = _template_read(key, row)
    await repository.delete_edited_template(session, row)
    after = _template_shown(key, None)
    _audit_template(session, "email_template.reset", key, before, after)


async def preview_email_template(
    session: AsyncSession, key: str, draft: EmailTemplateWrite | None, *, public_url: str
) -> RenderedEmailRead:
    """Render the template `key` (or a draft of it) against a sample order."""
    if draft is not None:
        parts = email_templates.TemplateParts(draft.subject, draft.html, draft.text)
    else:
        current = await get_email_template(session, key)
        parts = email_templates.TemplateParts(current.subject, current.html, current.text)
    rendered = await _checked(session, key, parts, public_url)
    return RenderedEmailRead(subject=rendered.subject, html=rendered.html, text=rendered.text)


async def preview_email_with_branding(
    session: AsyncSession, key: str, brand: branding.BrandingWrite, *, public_url: str
) -> RenderedEmailRead:
    """Render the template `key` as it is against a sample order, with a branding not saved
    yet: how its emails will look once it is."""
    current = await get_email_template(session, key)
    parts = email_templates.TemplateParts(current.subject, current.html, current.text)
    rendered = await _checked(session, key, parts, public_url, brand)
    return RenderedEmailRead(subject=rendered.subject, html=rendered.html, text=rendered.text)
