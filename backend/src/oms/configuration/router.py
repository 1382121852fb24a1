"""HTTP endpoints of configuration as code: export the whole configuration, import one."""

import os
from typing import Annotated

from fastapi import APIRouter, Header, Query, Request, Response

from oms.auth.dependencies import ConfigWriter
from oms.configuration import service
from oms.configuration.schemas import ConfigDocument, ImportRead
from oms.core.db import Session
from oms.core.openapi import problems

router = APIRouter(prefix="/config", tags=["configuration"])

YAML = "application/yaml"
DOCUMENT_TYPES = (YAML, "application/x-yaml", "text/yaml", "application/json")
DOCUMENT_BODY = {
    "description": "The configuration document (`docs/config.schema.json`), as YAML or JSON.",
    "required": True,
    "content": {
        YAML: {"schema": {"type": "string"}},
        "application/json": {"schema": {"type": "object"}},
    },
}


def _options(request: Request) -> service.ImportOptions:
    settings = request.app.state.settings
    return service.ImportOptions(
        public_url=settings.public_url,
        image_limits=service.ImageLimits(
            max_bytes=settings.max_image_bytes,
            allowed_networks=settings.webhook_allowed_networks,
        ),
        category_limits=service.category_limits(settings),
        environment=dict(os.environ),
    )


@router.get(
    "/export",
    response_model=ConfigDocument,
    response_model_exclude_none=True,
    responses={200: {"content": {YAML: {"schema": {"type": "string"}}}}},
)
async def export_configuration(
    request: Request,
    session: Session,
    _: ConfigWriter,
    accept: Annotated[str | None, Header(description="`application/yaml` for YAML.")] = None,
) -> Response:
    """The whole white-label configuration; secrets as `${ENV_VAR}` references, images as
    URLs of OMS's own assets."""
    export = await service.export_configuration(
        session, public_url=request.app.state.settings.public_url
    )
    if accept is not None and "yaml" in accept:
        return Response(service.export_yaml(export), media_type=YAML)
    return Response(
        export.document.model_dump_json(exclude_none=True), media_type="application/json"
    )


@router.post(
    "/import",
    response_model=ImportRead,
    responses=problems(
        {
            400: "The document is refused: `errors` lists every problem, each with its path.",
            415: "The body is not YAML or JSON.",
        }
    ),
    openapi_extra={"requestBody": DOCUMENT_BODY},
)
async def import_configuration(
    request: Request,
    session: Session,
    user: ConfigWriter,
    dry_run: Annotated[
        bool, Query(description="Only check the document and list what would change.")
    ] = False,
) -> ImportRead:
    """Make OMS's configuration what the document says, in one transaction: what it leaves
    out is removed. Importing the same document again changes nothing."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type not in DOCUMENT_TYPES:
        raise service.UnsupportedDocumentType(content_type, DOCUMENT_TYPES)
    return await service.import_configuration(
        session,
        await request.body(),
        options=_options(request),
        dry_run=dry_run,
        actor=user.user_id,
    )
