"""HTTP API of the integrations module: worker configurations, deliveries, sent mail and
email templates."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Body, Path, Request, Response, status

from oms.auth.dependencies import ConfigReader, ConfigWriter, Idempotent
from oms.branding.dependencies import ShopCurrency
from oms.core.conditional import IfMatch, tagged_json
from oms.core.db import Session
from oms.core.openapi import (
    examples,
    gives_etag,
    link,
    links,
    merge_responses,
    named_examples,
    problems,
)
from oms.core.pagination import DEFAULT_LIMIT, Page, PageCursor, PageLimit
from oms.integrations import service
from oms.integrations.schemas import (
    WORKER_CONFIGURATION_CREATE_EXAMPLES,
    WORKER_CONFIGURATION_READ_EXAMPLES,
    BrandingDraft,
    DeliveryRead,
    DeliveryStatus,
    EmailTemplateRead,
    EmailTemplateWrite,
    RenderedEmailRead,
    ReplayRead,
    SentEmailRead,
    TestFireRead,
    TestFireRequest,
    WorkerConfigurationCreate,
    WorkerConfigurationPage,
    WorkerConfigurationRead,
    WorkerConfigurationUpdate,
)

router = APIRouter(tags=["integrations"])

TemplateKey = Annotated[
    str,
    Path(
        min_length=1,
        max_length=50,
        pattern=r"^[a-z][a-z0-9_]*$",
        description="`order_created`, a status code (`shipped`), `status_changed`, or a key"
        " a configuration's `template` names.",
        examples=["shipped"],
    ),
]

_INVALID_CONFIGURATION_FIELDS = (
    "`trigger_statuses` names a status the workflow lacks, or a secret is given masked."
)


def _fire_test_event(configuration_id: str) -> dict[str, object]:
    return link(
        "fireTestEvent",
        "Send the configuration a test event.",
        parameters={"configuration_id": configuration_id},
    )


@router.get(
    "/worker-configurations",
    response_model=WorkerConfigurationPage,
    responses=links(200, fireTestEvent=_fire_test_event("$response.body#/items/0/id")),
)
async def list_worker_configurations(
    session: Session,
    _: ConfigReader,
    worker_type: service.WorkerType | None = None,
    cursor: PageCursor = None,
    limit: PageLimit = DEFAULT_LIMIT,
) -> WorkerConfigurationPage:
    """By worker type, then name, then id."""
    return await service.list_configurations(session, worker_type, cursor=cursor, limit=limit)


@router.post(
    "/worker-configurations",
    response_model=WorkerConfigurationRead,
    status_code=status.HTTP_201_CREATED,
    responses=merge_responses(
        problems(
            {400: _INVALID_CONFIGURATION_FIELDS, 409: "A configuration of this type has this name."}
        ),
        examples(201, **WORKER_CONFIGURATION_READ_EXAMPLES),
        links(
            201,
            getWorkerConfiguration=link(
                "getWorkerConfiguration",
                "Read the configuration.",
                parameters={"configuration_id": "$response.body#/id"},
            ),
            fireTestEvent=_fire_test_event("$response.body#/id"),
        ),
    ),
)
async def create_worker_configuration(
    session: Session,
    _: ConfigWriter,
    body: Annotated[
        WorkerConfigurationCreate,
        Body(openapi_examples=named_examples(**WORKER_CONFIGURATION_CREATE_EXAMPLES)),
    ],
    request: Request,
    idempotent: Idempotent,
) -> Response:
    created = await service.create_configuration(session, body)
    location = str(request.url_for("get_worker_configuration", configuration_id=created.id))
    return await idempotent.respond(
        session, status.HTTP_201_CREATED, created, headers={"Location": location}
    )


@router.get(
    "/worker-configurations/{configuration_id}",
    response_model=WorkerConfigurationRead,
    responses=links(200, fireTestEvent=_fire_test_event("$request.path.configuration_id")),
)
async def get_worker_configuration(
    session: Session, _: ConfigReader, configuration_id: uuid.UUID
) -> WorkerConfigurationRead:
    return await service.get_configuration(session, configuration_id)


@router.patch(
    "/worker-configurations/{configuration_id}",
    response_model=WorkerConfigurationRead,
    responses=problems(
        {
            400: _INVALID_CONFIGURATION_FIELDS,
            409: "Another configuration of this type has this name, or `worker_type` is not"
            " the configuration's.",
        }
    ),
)
async def update_worker_configuration(
    session: Session,
    _: ConfigWriter,
    configuration_id: uuid.UUID,
    body: Annotated[WorkerConfigurationUpdate, Body()],
) -> WorkerConfigurationRead:
    return await service.update_configuration(session, configuration_id, body)


@router.delete("/worker-configurations/{configuration_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_worker_configuration(
    session: Session, _: ConfigWriter, configuration_id: uuid.UUID
) -> Response:
    await service.delete_configuration(session, configuration_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/worker-configurations/{configuration_id}/test",
    response_model=TestFireRead,
    status_code=status.HTTP_202_ACCEPTED,
    responses=problems({400: "`status` is not a status of the workflow."}),
)
async def fire_test_event(
    session: Session,
    _: ConfigWriter,
    configuration_id: uuid.UUID,
    currency: ShopCurrency,
    body: Annotated[TestFireRequest | None, Body()] = None,
) -> TestFireRead:
    return await service.fire_test_event(
        session, configuration_id, body or TestFireRequest(), currency=currency
    )


@router.get("/deliveries", response_model=Page[DeliveryRead])
async def list_deliveries(
    session: Session,
    _: ConfigReader,
    status: DeliveryStatus | None = None,
    worker: service.WorkerType | None = None,
    order_id: uuid.UUID | None = None,
    event_id: uuid.UUID | None = None,
    configuration_id: uuid.UUID | None = None,
    cursor: PageCursor = None,
    limit: PageLimit = DEFAULT_LIMIT,
) -> Page[DeliveryRead]:
    return await service.list_deliveries(
        session,
        status=status,
        worker=worker,
        order_id=order_id,
        event_id=event_id,
        configuration_id=configuration_id,
        cursor=cursor,
        limit=limit,
    )


@router.post(
    "/deliveries/{delivery_id}/replay",
    response_model=ReplayRead,
    status_code=status.HTTP_202_ACCEPTED,
    responses=problems(
        {
            409: "The delivery cannot be replayed: it did not fail, a later attempt succeeded,"
            " or its configuration or event is gone."
        }
    ),
)
async def replay_delivery(session: Session, _: ConfigWriter, delivery_id: uuid.UUID) -> ReplayRead:
    return await service.replay_delivery(session, delivery_id)


@router.get("/sent-emails", response_model=Page[SentEmailRead])
async def list_sent_emails(
    session: Session, _: ConfigReader, cursor: PageCursor = None, limit: PageLimit = DEFAULT_LIMIT
) -> Page[SentEmailRead]:
    """Mail kept by the development sink (no OMS_SMTP_URL), newest first."""
    return await service.list_sent_emails(session, cursor=cursor, limit=limit)


_TEMPLATE_REFUSED = (
    "A part does not parse, or does not render against a sample order (`errors` names the"
    " part, the line and the reason), or it reaches for what the sandbox forbids."
)


@router.get("/email-templates")
async def list_email_templates(session: Session, _: ConfigReader) -> list[EmailTemplateRead]:
    """Every template: the shipped defaults and the edited ones, by key."""
    return await service.list_email_templates(session)


@router.get(
    "/email-templates/{key}",
    response_model=EmailTemplateRead,
    responses=merge_responses(problems({404: "No template has this key."}), gives_etag(200)),
)
async def get_email_template(key: TemplateKey, session: Session, _: ConfigReader) -> Response:
    template = await service.get_email_template(session, key)
    return tagged_json(template, template.version)


@router.put(
    "/email-templates/{key}",
    response_model=EmailTemplateRead,
    responses=problems(
        {
            400: _TEMPLATE_REFUSED,
            409: "200 templates are edited already (`limit`).",
            412: "If-Match does not match: someone changed the template since you read it.",
        }
    ),
)
async def put_email_template(
    key: TemplateKey,
    body: EmailTemplateWrite,
    session: Session,
    request: Request,
    user: ConfigWriter,
    if_match: IfMatch = None,
) -> Response:
    """Create or replace the edited template: it overrides a shipped one of its key."""
    template = await service.put_email_template(
        session,
        key,
        body,
        if_match=if_match,
        actor=user.user_id,
        public_url=request.app.state.settings.public_url,
    )
    return tagged_json(template, template.version)


@router.delete(
    "/email-templates/{key}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problems({404: "The template was never edited."}),
)
async def reset_email_template(key: TemplateKey, session: Session, _: ConfigWriter) -> None:
    """Forget the edits: a shipped template of this key is used again."""
    await service.reset_email_template(session, key)


@router.post(
    "/email-templates/{key}/preview",
    response_model=RenderedEmailRead,
    responses=problems({400: _TEMPLATE_REFUSED, 404: "No template has this key."}),
)
async def preview_email_template(
    key: TemplateKey,
    session: Session,
    request: Request,
    _: ConfigReader,
    body: Annotated[
        EmailTemplateWrite | None, Body(description="A draft to render instead of the template.")
    ] = None,
) -> RenderedEmailRead:
    """Render the template, or a draft of it, against a sample order and the branding."""
    return await service.preview_email_template(
        session, key, body, public_url=request.app.state.settings.public_url
    )


@router.post(
    "/email-templates/{key}/branding-preview",
    response_model=RenderedEmailRead,
    responses=problems(
        {
            400: "The template does not render with this branding (`errors` names the part,"
            " the line and the reason), or the locale is not one OMS knows.",
            404: "No template has this key.",
        }
    ),
)
async def preview_email_with_branding(
    key: TemplateKey,
    body: Annotated[
        BrandingDraft, Body(description="A branding to render with instead of the saved one.")
    ],
    session: Session,
    request: Request,
    _: ConfigReader,
) -> RenderedEmailRead:
    """Render the template as it is against a sample order, with a draft of the branding
    (the saved logo and favicon): how its emails will look once the draft is saved."""
    return await service.preview_email_with_branding(
        session, key, body, public_url=request.app.state.settings.public_url
    )
