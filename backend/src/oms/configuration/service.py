"""The configuration module's public interface: export OMS's white-label configuration as
one document, and import one (checked whole, shown as a diff, applied in the caller's
transaction), composed from the other modules' services."""

import json
import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from oms.configuration import repository, yaml_text
from oms.configuration.apply import apply_plan
from oms.configuration.changes import Change
from oms.configuration.document import ConfigDocument
from oms.configuration.errors import UnsupportedDocumentType
from oms.configuration.export import Export, document_data, export_configuration
from oms.configuration.images import ImageLimits
from oms.configuration.plan import ImportOptions, parse, plan_import
from oms.configuration.schemas import ChangeRead, ImportRead
from oms.core.settings import Settings
from oms.products import service as products

__all__ = [
    "Export",
    "ImageLimits",
    "ImportOptions",
    "UnsupportedDocumentType",
    "export_configuration",
    "export_yaml",
    "import_configuration",
    "schema_json",
]


def category_limits(settings: Settings) -> products.DocumentLimits:
    """The bounds a category's attribute schema keeps, imported as when sent to the API."""
    return products.DocumentLimits(
        schema_bytes=settings.max_attribute_schema_bytes,
        attributes_bytes=settings.max_attributes_bytes,
    )


def export_yaml(export: Export) -> str:
    return yaml_text.dump(document_data(export.document))


def schema_json() -> str:
    """The published JSON Schema of the document (`docs/config.schema.json`)."""
    schema: dict[str, Any] = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://oms.example/config.schema.json",
        **ConfigDocument.model_json_schema(),
    }
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def _read(change: Change) -> ChangeRead:
    return ChangeRead(
        op=change.op, path=change.path, before=change.before, after=change.after, line=change.line()
    )


async def import_configuration(
    session: AsyncSession,
    text: str | bytes,
    *,
    options: ImportOptions,
    dry_run: bool,
    actor: uuid.UUID | None,
) -> ImportRead:
    """Check the whole document (raising `InvalidFields` with every problem, each naming its
    path), then, unless `dry_run`, make its changes. A second import of the same document
    changes nothing."""
    document = parse(text)
    await repository.lock_imports(session)
    plan = await plan_import(session, document, options)
    applied = not dry_run and bool(plan.changes)
    if applied:
        await apply_plan(
            session,
            plan,
            actor=actor,
            public_url=options.public_url,
            category_limits=options.category_limits,
        )
    return ImportRead(
        dry_run=dry_run, applied=applied, changes=[_read(change) for change in plan.changes]
    )
