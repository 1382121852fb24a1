"""Applying a plan through each module's service, in an order in which every step is
allowed: transitions that go first, then the initial status, then statuses that go, then
the rest. Everything runs in the caller's one transaction."""

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from oms.branding import service as branding
from oms.configuration.document import StatusEntry
from oms.configuration.plan import Plan, position
from oms.integrations import service as integrations
from oms.products import service as products
from oms.workflow import service as workflow

ANY_VERSION = "*"


async def _apply_branding(session: AsyncSession, plan: Plan, actor: uuid.UUID | None) -> None:
    fields = set(branding.BrandingWrite.model_fields)
    wanted = branding.BrandingWrite.model_validate(
        plan.document.branding.model_dump(include=fields)
    )
    if wanted.model_dump(mode="json") != plan.current.document.branding.model_dump(
        mode="json", include=fields
    ):
        await branding.replace_branding(session, wanted, if_match=ANY_VERSION, actor=actor)
    for slot, image in plan.images.items():
        stored = plan.current.images[slot]
        if image is None and stored is not None:
            await branding.remove_image(session, slot, if_match=ANY_VERSION, actor=actor)
        elif image is not None and image.digest != stored:
            if image.content is None:  # already an asset of OMS
                found = await branding.asset(session, image.digest)
                content_type, content = found.content_type, found.content
            else:
                assert image.content_type is not None
                content_type, content = image.content_type, image.content
            await branding.set_image(
                session,
                slot,
                content_type,
                content,
                max_bytes=max(len(content), 1),
                if_match=ANY_VERSION,
                actor=actor,
            )


def _status_fields(entry: StatusEntry, index: int) -> dict[str, Any]:
    return {
        "name": entry.name,
        "customer_name": entry.customer_name,
        "customer_description": entry.customer_description,
        "colour": entry.colour,
        "is_terminal": entry.terminal,
        "releases_stock": entry.releases_stock,
        "position": position(index),
    }


def _status_unchanged(entry: StatusEntry, index: int, stored: workflow.StatusRead) -> bool:
    fields = _status_fields(entry, index)
    return (
        all(getattr(stored, name) == value for name, value in fields.items())
        and stored.is_initial == entry.initial
    )


async def _put_status(session: AsyncSession, plan: Plan, index: int, entry: StatusEntry) -> None:
    stored = plan.current.statuses.get(entry.code)
    fields = _status_fields(entry, index)
    if stored is None:
        data = workflow.StatusCreate(code=entry.code, is_initial=entry.initial, **fields)
        await workflow.create_status(session, data)
    elif not _status_unchanged(entry, index, stored):
        # Only the initial flag is ever set: setting it moves it from the status that had it.
        initial = {"is_initial": True} if entry.initial and not stored.is_initial else {}
        await workflow.update_status(
            session, entry.code, workflow.StatusUpdate(**fields, **initial)
        )


async def _apply_workflow(session: AsyncSession, plan: Plan) -> None:
    document, current = plan.document, plan.current
    wanted = {(t.from_status, t.to_status): t for t in document.transitions}
    for key, stale in current.transitions.items():
        if key not in wanted:
            await workflow.delete_transition(session, stale.id)
    statuses = list(enumerate(document.statuses))
    for index, entry in statuses:
        if entry.initial:
            await _put_status(session, plan, index, entry)
    kept = {entry.code for entry in document.statuses}
    # The initial status last: it may go only once it is the only one left.
    leaving = sorted(
        (status for code, status in current.statuses.items() if code not in kept),
        key=lambda status: status.is_initial,
    )
    for status in leaving:
        await workflow.delete_status(session, status.code)
    for index, entry in statuses:
        if not entry.initial:
            await _put_status(session, plan, index, entry)
    for key, transition in wanted.items():
        roles = sorted(set(transition.roles))
        stored = current.transitions.get(key)
        if stored is None:
            await workflow.create_transition(
                session,
                workflow.TransitionCreate(
                    from_status=transition.from_status, to_status=transition.to_status, roles=roles
                ),
            )
        elif sorted(stored.roles) != [str(role) for role in roles]:
            await workflow.update_transition(
                session, stored.id, workflow.TransitionUpdate(roles=roles)
            )


async def _apply_categories(
    session: AsyncSession, plan: Plan, limits: products.DocumentLimits
) -> None:
    before = {category.code: category for category in plan.current.document.categories}
    wanted = {category.code for category in plan.document.categories}
    for code in before.keys() - wanted:
        await products.delete_category_by_code(session, code)
    for category in plan.document.categories:
        if before.get(category.code) != category:
            await products.put_category(
                session, category.code, category.name, category.attribute_schema, limits=limits
            )


async def _apply_templates(
    session: AsyncSession, plan: Plan, actor: uuid.UUID | None, public_url: str
) -> None:
    before = {template.key: template for template in plan.current.document.email_templates}
    wanted = {template.key for template in plan.document.email_templates}
    for key in sorted(before.keys() - wanted):
        await integrations.reset_email_template(session, key)
    for template in plan.document.email_templates:
        if before.get(template.key) != template:
            await integrations.put_email_template(
                session,
                template.key,
                integrations.EmailTemplateWrite(
                    subject=template.subject, html=template.html, text=template.text
                ),
                if_match=None,
                actor=actor,
                public_url=public_url,
            )


def _worker_changed(plan: Plan, key: tuple[str, str]) -> bool:
    kind, name = key
    return any(
        change.kind == "worker" and change.key == f"{kind} {name!r}" for change in plan.changes
    )


async def _apply_workers(session: AsyncSession, plan: Plan) -> None:
    wanted = {(str(body.worker_type), body.name): body for body in plan.workers}
    for key, stored in plan.current.workers.items():
        if key not in wanted:
            await integrations.delete_configuration(session, stored.id)
    for key, body in wanted.items():
        stored = plan.current.workers.get(key)
        if stored is None:
            await integrations.create_configuration(session, body)
        elif _worker_changed(plan, key):
            update = integrations.WORKER_CONFIGURATION_UPDATE.validate_python(
                body.model_dump(mode="json", exclude_none=True)
            )
            await integrations.update_configuration(session, stored.id, update)


async def apply_plan(
    session: AsyncSession,
    plan: Plan,
    *,
    actor: uuid.UUID | None,
    public_url: str,
    category_limits: products.DocumentLimits,
) -> None:
    await _apply_branding(session, plan, actor)
    await _apply_workflow(session, plan)
    await _apply_categories(session, plan, category_limits)
    await _apply_templates(session, plan, actor, public_url)
    await _apply_workers(session, plan)
