"""The document as a file, for `oms config` and `OMS_CONFIG_FILE`: images beside it, secrets
from the process's environment, and a transaction of the command's own."""

import os
from pathlib import Path

from oms.configuration import service
from oms.configuration.schemas import ImportRead
from oms.core.db import create_engine, create_sessionmaker
from oms.core.errors import InvalidFields
from oms.core.settings import Settings


class ConfigurationRefused(Exception):
    """The document does not apply; `problems` are its `{field, message}` entries."""

    def __init__(self, problems: list[dict[str, str]]) -> None:
        super().__init__(
            f"{len(problems)} problem(s):\n"
            + "\n".join(f"  {item['field']}: {item['message']}" for item in problems)
        )
        self.problems = problems


def _options(settings: Settings, folder: Path | None) -> service.ImportOptions:
    return service.ImportOptions(
        public_url=settings.public_url,
        image_limits=service.ImageLimits(
            max_bytes=settings.max_image_bytes, allowed_networks=settings.webhook_allowed_networks
        ),
        category_limits=service.category_limits(settings),
        folder=folder,
        environment=dict(os.environ),
    )


def read_document(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        problem = {"field": str(path), "message": f"cannot read it: {error.strerror or error}"}
        raise ConfigurationRefused([problem]) from error


async def import_document(
    settings: Settings, url: str, text: bytes, *, folder: Path, dry_run: bool
) -> ImportRead:
    """Import a document in one transaction (rolled back on a dry run); `file:` images are
    read from `folder`."""
    engine = create_engine(url)
    try:
        async with create_sessionmaker(engine)() as session:
            transaction = await session.begin()
            try:
                result = await service.import_configuration(
                    session,
                    text,
                    options=_options(settings, folder),
                    dry_run=dry_run,
                    actor=None,
                )
            except InvalidFields as error:
                await transaction.rollback()
                raise ConfigurationRefused(error.extra["errors"]) from None
            except BaseException:
                await transaction.rollback()
                raise
            if dry_run:
                await transaction.rollback()
            else:
                await transaction.commit()
            return result
    finally:
        await engine.dispose()


async def export_document(settings: Settings, url: str, *, images_as_files: bool) -> service.Export:
    engine = create_engine(url)
    try:
        async with create_sessionmaker(engine)() as session:
            return await service.export_configuration(
                session, public_url=settings.public_url, images_as_files=images_as_files
            )
    finally:
        await engine.dispose()


def write_export(path: Path, export: service.Export) -> None:
    """The document at `path`, its images beside it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    for name, content in export.files.items():
        (path.parent / name).write_bytes(content)
    path.write_text(service.export_yaml(export), encoding="utf-8")
