"""The configuration OMS has now, as a document: read through each module's service."""

import re
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from oms.branding import service as branding
from oms.configuration.document import (
    DOCUMENT_VERSION,
    BrandingSection,
    CategoryEntry,
    ConfigDocument,
    EmailTemplateEntry,
    ImageSource,
    StatusEntry,
    TransitionEntry,
)
from oms.configuration.images import SUFFIXES
from oms.integrations import service as integrations
from oms.outbox import service as outbox
from oms.products import service as products
from oms.workflow import service as workflow


@dataclass
class Export:
    document: ConfigDocument
    files: dict[str, bytes] = field(default_factory=dict)
    """Images to write beside the document, by file name (with `images_as_files`)."""


def secret_variable(worker_type: str, name: str, field_name: str) -> str:
    """The environment variable an export names for a configuration's secret:
    `OMS_SECRET_WEBHOOK_ERP` for the webhook `ERP`'s `secret`."""
    slug = re.sub(r"[^A-Z0-9]+", "_", name.upper()).strip("_") or "UNNAMED"
    suffix = "" if field_name == "secret" else f"_{field_name.upper()}"
    return f"OMS_SECRET_{worker_type.upper()}_{slug}{suffix}"


async def _images(
    session: AsyncSession, public_url: str, images_as_files: bool, files: dict[str, bytes]
) -> dict[str, ImageSource | None]:
    sources: dict[str, ImageSource | None] = {}
    for slot, digest in (await branding.image_digests(session)).items():
        if digest is None:
            sources[slot] = None
        elif images_as_files:
            image = await branding.asset(session, digest)
            name = f"{slot}{SUFFIXES[image.content_type]}"
            files[name] = image.content
            sources[slot] = ImageSource(file=name)
        else:
            url = f"{public_url.rstrip('/')}{branding.ASSET_PATH}{digest}"
            sources[slot] = ImageSource.model_validate({"url": url})
    return sources


def _worker(configuration: Any) -> dict[str, Any]:
    read = configuration.model_dump(mode="json")
    settings = read["settings"]
    for name in integrations.SECRET_FIELDS:
        if settings.get(name) is not None:  # masked: the secret itself never leaves OMS
            variable = secret_variable(read["worker_type"], read["name"], name)
            settings[name] = f"${{{variable}}}"
    if read["worker_type"] == outbox.WorkerType.EMAIL:
        settings = {key: value for key, value in settings.items() if value is not None}
    return {
        "worker_type": read["worker_type"],
        "name": read["name"],
        "enabled": read["enabled"],
        "trigger_events": read["trigger_events"],
        "trigger_statuses": read["trigger_statuses"],
        "settings": settings,
    }


async def export_configuration(
    session: AsyncSession, *, public_url: str, images_as_files: bool = False
) -> Export:
    files: dict[str, bytes] = {}
    current = await branding.current_branding(session)
    brand = current.model_dump(include=set(branding.BrandingWrite.model_fields), mode="json")
    images = await _images(session, public_url, images_as_files, files)
    statuses = await workflow.list_statuses(session)
    transitions = await workflow.list_transitions(session)
    document = ConfigDocument(
        version=DOCUMENT_VERSION,
        branding=BrandingSection.model_validate({**brand, **images}),
        statuses=[
            StatusEntry(
                code=status.code,
                name=status.name,
                customer_name=status.customer_name,
                customer_description=status.customer_description,
                colour=status.colour,
                initial=status.is_initial,
                terminal=status.is_terminal,
                releases_stock=status.releases_stock,
            )
            for status in statuses
        ],
        transitions=[
            TransitionEntry.model_validate(
                {"from_status": t.from_status, "to_status": t.to_status, "roles": t.roles}
            )
            for t in transitions
        ],
        categories=[
            CategoryEntry(code=c.code, name=c.name, attribute_schema=c.attribute_schema)
            for c in await products.all_categories(session)
        ],
        worker_configurations=[
            _worker(configuration)
            for configuration in await integrations.all_configurations(session)
        ],
        email_templates=[
            EmailTemplateEntry(key=t.key, subject=t.subject, html=t.html, text=t.text)
            for t in await integrations.list_email_templates(session)
            if t.edited
        ],
    )
    return Export(document=document, files=files)


def document_data(document: ConfigDocument) -> dict[str, Any]:
    """The document as plain data, as it is written: absent optional members left out."""
    return document.model_dump(mode="json", exclude_none=True)
