"""Planning an import: the whole document checked against itself and against OMS's data,
every problem listed at once, and the changes it would make. Nothing is written here."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from oms.branding import service as branding
from oms.configuration import checks, yaml_text
from oms.configuration.changes import Change, field_changes
from oms.configuration.document import ConfigDocument, StatusEntry
from oms.configuration.export import export_configuration
from oms.configuration.images import Image, ImageLimits, ImageRefused, resolve
from oms.configuration.problems import Problem, problem, validation_problems
from oms.core.errors import InvalidFields
from oms.integrations import service as integrations
from oms.orders import service as orders
from oms.products import service as products
from oms.workflow import service as workflow

POSITION_STEP = 10


@dataclass(frozen=True, slots=True)
class ImportOptions:
    public_url: str
    image_limits: ImageLimits
    category_limits: products.DocumentLimits
    folder: Path | None = None
    """Where `file:` images are read: the document's folder (the CLI), or nowhere (the API)."""
    environment: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Current:
    """What OMS has now, with the ids an apply needs."""

    document: ConfigDocument
    statuses: dict[str, workflow.StatusRead]
    transitions: dict[tuple[str, str], workflow.TransitionRead]
    workers: dict[tuple[str, str], Any]
    images: dict[branding.ImageSlot, str | None]


@dataclass(frozen=True, slots=True)
class Plan:
    document: ConfigDocument
    workers: list[Any]
    """Each worker configuration of the document, secrets read, as the integrations take it."""
    images: dict[branding.ImageSlot, Image | None]
    current: Current
    changes: list[Change]


def refused(problems: list[Problem]) -> InvalidFields:
    return InvalidFields(
        problems,
        detail=f"The configuration is refused ({len(problems)} problem(s), see `errors`);"
        " nothing was changed.",
    )


def parse(text: str | bytes) -> ConfigDocument:
    try:
        data = yaml_text.load(text)
    except yaml_text.NotADocument as error:
        raise refused([problem([], str(error), "yaml")]) from error
    if not isinstance(data, dict):
        raise refused([problem([], "the document must be a mapping of sections", "yaml")])
    try:
        return ConfigDocument.model_validate(data)
    except ValidationError as error:
        raise refused(validation_problems(error, data)) from error


def position(index: int) -> int:
    return index * POSITION_STEP


async def _current(session: AsyncSession, public_url: str) -> Current:
    document = (await export_configuration(session, public_url=public_url)).document
    return Current(
        document=document,
        statuses={status.code: status for status in await workflow.list_statuses(session)},
        transitions={
            (t.from_status, t.to_status): t for t in await workflow.list_transitions(session)
        },
        workers={
            (str(c.worker_type), c.name): c for c in await integrations.all_configurations(session)
        },
        images=await branding.image_digests(session),
    )


async def _images(
    session: AsyncSession, document: ConfigDocument, options: ImportOptions
) -> tuple[dict[branding.ImageSlot, Image | None], list[Problem]]:
    images: dict[branding.ImageSlot, Image | None] = {}
    found: list[Problem] = []
    slots: tuple[branding.ImageSlot, ...] = ("logo", "favicon")
    for slot in slots:
        source = getattr(document.branding, slot)
        if source is None:
            images[slot] = None
            continue
        try:
            images[slot] = await resolve(session, source, options.folder, options.image_limits)
        except ImageRefused as error:
            found.append(problem(["branding", slot], str(error), "image"))
    return images, found


async def _stranded_data(
    session: AsyncSession, document: ConfigDocument, current: Current
) -> list[Problem]:
    """Orders in statuses the document leaves out, products in categories it leaves out,
    and products a changed attribute schema would refuse."""
    found: list[Problem] = []
    kept = {status.code for status in document.statuses}
    for code, count in sorted((await orders.order_counts_by_status(session)).items()):
        if code not in kept:
            found.append(
                problem(
                    ["statuses"],
                    f"the status {code!r} is left out, but {count} order(s) are in it",
                    "status_in_use",
                )
            )
    wanted = {category.code: category for category in document.categories}
    for category in current.document.categories:
        if category.code not in wanted:
            count = await products.products_in_category(session, category.code)
            if count:
                found.append(
                    problem(
                        ["categories"],
                        f"the category {category.code!r} is left out, but {count} product(s)"
                        " are in it",
                        "category_in_use",
                    )
                )
    for index, category in enumerate(document.categories):
        before = next((c for c in current.document.categories if c.code == category.code), None)
        if before is None or before.attribute_schema == category.attribute_schema:
            continue
        listed, total = await products.schema_offenders(
            session, category.code, category.attribute_schema
        )
        if total:
            named = "; ".join(_offender(item) for item in listed)
            more = f" and {total - len(listed)} more" if total > len(listed) else ""
            found.append(
                problem(
                    ["categories", index, "attribute_schema"],
                    f"{total} product(s) would not satisfy it: {named}{more}",
                    "schema_breaks_products",
                )
            )
    return found


def _offender(product: dict[str, Any]) -> str:
    reasons = ", ".join(f"{error['field']} {error['message']}" for error in product["errors"])
    return f"{product['sku']} ({reasons})"


async def _template_problems(
    session: AsyncSession, document: ConfigDocument, current: Current, public_url: str
) -> list[Problem]:
    before = {t.key: t for t in current.document.email_templates}
    found: list[Problem] = []
    for index, template in enumerate(document.email_templates):
        if before.get(template.key) == template:
            continue
        data = integrations.EmailTemplateWrite(
            subject=template.subject, html=template.html, text=template.text
        )
        for item in await integrations.email_template_problems(
            session, template.key, data, public_url=public_url
        ):
            found.append(problem(["email_templates", index, item["field"]], item["message"]))
    return found


def _status_fields(entry: StatusEntry, index: int) -> dict[str, Any]:
    return {**entry.model_dump(mode="json", exclude={"code"}), "position": position(index)}


def _current_status_fields(status: workflow.StatusRead) -> dict[str, Any]:
    return {
        "name": status.name,
        "customer_name": status.customer_name,
        "customer_description": status.customer_description,
        "colour": status.colour,
        "initial": status.is_initial,
        "terminal": status.is_terminal,
        "releases_stock": status.releases_stock,
        "position": status.position,
    }


def _keyed(items: list[Any], key: Any) -> dict[Any, dict[str, Any]]:
    return {key(item): item.model_dump(mode="json") for item in items}


def _section_changes(
    kind: str,
    before: dict[Any, dict[str, Any]],
    after: dict[Any, dict[str, Any]],
    name: Any,
) -> list[Change]:
    changes = [
        Change("remove", kind, name(key), before=value)
        for key, value in before.items()
        if key not in after
    ]
    for key, value in after.items():
        if key not in before:
            changes.append(Change("add", kind, name(key), after=value))
        else:
            changes += field_changes(kind, name(key), before[key], value)
    return changes


def _without_secrets(worker: dict[str, Any]) -> dict[str, Any]:
    settings = {
        key: value
        for key, value in worker["settings"].items()
        if key not in integrations.SECRET_FIELDS
    }
    return {**worker, "settings": settings}


async def _worker_changes(
    session: AsyncSession, plan_workers: list[Any], document: ConfigDocument, current: Current
) -> list[Change]:
    before = {
        (w.worker_type, w.name): _without_secrets(w.model_dump(mode="json"))
        for w in current.document.worker_configurations
    }
    after = {
        (w.worker_type, w.name): _without_secrets(w.model_dump(mode="json"))
        for w in document.worker_configurations
    }
    changes = _section_changes("worker", before, after, lambda key: f"{key[0]} {key[1]!r}")
    for entry, resolved in zip(document.worker_configurations, plan_workers, strict=True):
        stored = current.workers.get((entry.worker_type, entry.name))
        if stored is None:
            continue
        given = {
            name: value
            for name in integrations.SECRET_FIELDS
            if (value := getattr(resolved.settings, name, None)) is not None
        }
        for name in await integrations.secrets_differ(session, stored.id, given):
            changes.append(
                Change(
                    "change",
                    "worker",
                    f"{entry.worker_type} {entry.name!r}",
                    f"settings.{name}",
                    "(stored)",
                    getattr(entry.settings, name),
                )
            )
    return changes


def _branding_changes(
    document: ConfigDocument, current: Current, images: dict[branding.ImageSlot, Image | None]
) -> list[Change]:
    fields = set(branding.BrandingWrite.model_fields)
    before = current.document.branding.model_dump(mode="json", include=fields)
    after = document.branding.model_dump(mode="json", include=fields)
    changes = [
        Change("change", "branding", "", c.field, c.before, c.after)
        for c in field_changes("branding", "", before, after)
    ]
    for slot, image in images.items():
        digest = image.digest if image is not None else None
        if digest != current.images[slot]:
            changes.append(Change("change", "branding", "", slot, current.images[slot], digest))
    return changes


async def _changes(
    session: AsyncSession,
    document: ConfigDocument,
    workers: list[Any],
    images: dict[branding.ImageSlot, Image | None],
    current: Current,
) -> list[Change]:
    changes = _branding_changes(document, current, images)
    changes += _section_changes(
        "status",
        {code: _current_status_fields(status) for code, status in current.statuses.items()},
        {entry.code: _status_fields(entry, index) for index, entry in enumerate(document.statuses)},
        str,
    )
    changes += _section_changes(
        "transition",
        {key: {"roles": sorted(t.roles)} for key, t in current.transitions.items()},
        {
            (t.from_status, t.to_status): {"roles": sorted(str(role) for role in t.roles)}
            for t in document.transitions
        },
        lambda key: f"{key[0]} -> {key[1]}",
    )
    changes += _section_changes(
        "category",
        _keyed(current.document.categories, lambda c: c.code),
        _keyed(document.categories, lambda c: c.code),
        str,
    )
    changes += await _worker_changes(session, workers, document, current)
    changes += _section_changes(
        "template",
        _keyed(current.document.email_templates, lambda t: t.key),
        _keyed(document.email_templates, lambda t: t.key),
        str,
    )
    return changes


async def plan_import(
    session: AsyncSession, document: ConfigDocument, options: ImportOptions
) -> Plan:
    """The changes `document` makes; raises `InvalidFields` listing every problem."""
    found = checks.workflow_problems(document)
    found += checks.category_problems(document)
    found += checks.template_problems(document)
    workers, worker_problems = checks.worker_problems(document, options.environment)
    found += worker_problems
    current = await _current(session, options.public_url)
    images, image_problems = await _images(session, document, options)
    found += image_problems
    found += await _stranded_data(session, document, current)
    if not checks.template_problems(document):
        found += await _template_problems(session, document, current, options.public_url)
    if found:
        raise refused(found)
    changes = await _changes(session, document, workers, images, current)
    return Plan(document=document, workers=workers, images=images, current=current, changes=changes)
