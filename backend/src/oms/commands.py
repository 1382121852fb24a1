"""What the CLI commands do, kept apart from argument parsing so tests can call them."""

import asyncio
import uuid
from pathlib import Path

import structlog

from oms.app import create_app
from oms.core import migrations
from oms.core.logging import configure_logging
from oms.core.runtime import check_database, database, load_settings
from oms.core.server import serve
from oms.core.settings import Settings
from oms.core.startup_errors import StartupError
from oms.outbox.events import WorkerType
from oms.pipeline import run_pipeline_in_app
from oms.seed import seed_demo

log = structlog.get_logger("oms")


def _prepare(component: str | None = None) -> Settings:
    """Settings and logging; for a long-running `component`, error monitoring too."""
    settings = load_settings()
    configure_logging(settings.log_level, settings.log_format)
    if component is not None and settings.sentry_dsn is not None:
        # Imported only when used: the SDK takes a while to import.
        from oms.core.error_monitoring import start_error_monitoring

        start_error_monitoring(settings, component)
        log.info("errors reported to Sentry", environment=settings.sentry_environment)
    return settings


def run_all_in_one(*, seed_demo: bool) -> None:
    settings = _prepare("api")
    with database(settings) as url:
        check_database(url, settings.db_connect_timeout)
        migrations.upgrade(url)
        if seed_demo:
            asyncio.run(_seed(url))
        _apply_config_file(settings, url)
        log.info("serving", url=f"http://{settings.host}:{settings.port}")
        app = create_app(settings, database_url=url)
        run_pipeline_in_app(app, settings)
        serve(
            app,
            host=settings.host,
            port=settings.port,
            shutdown_timeout=settings.shutdown_timeout,
            header_timeout=settings.client_header_timeout,
            trusted_proxies=settings.trusted_proxies,
        )
    log.info("stopped")


def run_api() -> None:
    settings = _prepare("api")
    with database(settings) as url:
        check_database(url, settings.db_connect_timeout)
        _apply_config_file(settings, url)
        serve(
            create_app(settings, database_url=url),
            host=settings.host,
            port=settings.port,
            shutdown_timeout=settings.shutdown_timeout,
            header_timeout=settings.client_header_timeout,
            trusted_proxies=settings.trusted_proxies,
        )


def run_migrations(revision: str) -> None:
    settings = _prepare()
    with database(settings) as url:
        check_database(url, settings.db_connect_timeout)
        migrations.upgrade(url, revision)
        log.info("migrated", revision=revision)


def run_seed_demo() -> None:
    settings = _prepare()
    with database(settings) as url:
        check_database(url, settings.db_connect_timeout)
        asyncio.run(_seed(url))


async def _seed(url: str) -> None:
    from oms.core.db import create_engine, create_sessionmaker

    engine = create_engine(url)
    try:
        async with create_sessionmaker(engine)() as session, session.begin():
            await seed_demo(session)
    finally:
        await engine.dispose()


def _apply_config_file(settings: Settings, url: str) -> None:
    """`OMS_CONFIG_FILE`, applied before OMS serves; a document that does not apply stops
    start-up, saying why."""
    if settings.config_file is None:
        return
    from oms.configuration.files import ConfigurationRefused, import_document, read_document

    path = settings.config_file
    try:
        text = read_document(path)
        result = asyncio.run(
            import_document(settings, url, text, folder=path.parent, dry_run=False)
        )
    except ConfigurationRefused as error:
        raise StartupError(
            f"OMS_CONFIG_FILE {settings.config_file} does not apply: {error}"
        ) from None
    log.info("configuration applied", path=str(settings.config_file), changes=len(result.changes))


def import_config_command(path: Path, *, dry_run: bool) -> None:
    """Print the changes; raises `ConfigurationRefused` listing every problem."""
    from oms.configuration.files import import_document, read_document

    settings = _prepare()
    text = read_document(path)
    with database(settings) as url:
        check_database(url, settings.db_connect_timeout)
        result = asyncio.run(
            import_document(settings, url, text, folder=path.parent, dry_run=dry_run)
        )
    for change in result.changes:
        print(change.line)
    if not result.changes:
        print("no changes: OMS already has this configuration")
    elif dry_run:
        print(f"dry run: {len(result.changes)} change(s) not applied")
    else:
        print(f"applied {len(result.changes)} change(s)")


def export_config_command(output: Path | None) -> None:
    from oms.configuration.files import export_document, write_export
    from oms.configuration.service import export_yaml

    settings = _prepare()
    with database(settings) as url:
        check_database(url, settings.db_connect_timeout)
        export = asyncio.run(export_document(settings, url, images_as_files=output is not None))
    if output is None:
        print(export_yaml(export), end="")
    else:
        write_export(output, export)


def write_config_schema(path: str | None) -> None:
    from oms.configuration.service import schema_json

    document = schema_json()
    if path is None or path == "-":
        print(document, end="")
        return
    with open(path, "w", encoding="utf-8") as out:
        out.write(document)


def run_relay() -> None:
    from oms.pipeline import run_standalone

    settings = _prepare("relay")
    run_standalone(settings, relay=True, workers=())


def run_worker(worker: WorkerType, concurrency: int) -> None:
    from oms.pipeline import run_standalone

    settings = _prepare(f"worker-{worker}")
    run_standalone(settings, relay=False, workers=(worker,), concurrency=concurrency)


def write_asyncapi(path: str | None) -> None:
    from oms.outbox.asyncapi import asyncapi_json

    document = asyncapi_json()
    if path is None or path == "-":
        print(document, end="")
        return
    with open(path, "w", encoding="utf-8") as out:
        out.write(document)
    log.info("asyncapi written", path=path)


def write_openapi(path: str | None) -> None:
    import json

    from oms.app import create_app

    # The document describes routes only: no database is reached while building it.
    app = create_app(database_url="postgresql://localhost/unused")
    document = json.dumps(app.openapi(), indent=2, ensure_ascii=False) + "\n"
    if path is None or path == "-":
        print(document, end="")
        return
    with open(path, "w", encoding="utf-8") as out:
        out.write(document)
    log.info("openapi written", path=path)


def create_user_command(*, email: str, roles: list[str], full_name: str, password: str) -> None:
    from oms.auth.cli import NewUser, create_user_from_cli

    new_user = NewUser.checked(email=email, roles=roles, full_name=full_name, password=password)
    settings = _prepare()
    with database(settings) as url:
        check_database(url, settings.db_connect_timeout)
        user_id = asyncio.run(create_user_from_cli(url, new_user))
    roles_text = ", ".join(sorted(new_user.roles))
    print(f"created user {new_user.email} ({user_id}) with roles {roles_text}")


def backup_command(file: Path) -> None:
    from oms.core.backup import backup

    settings = _prepare()
    with database(settings) as url:
        check_database(url, settings.db_connect_timeout)
        tool = backup(url, file)
    print(f"backed up to {file} ({file.stat().st_size} bytes, {tool.path})")


def restore_command(file: Path, *, clean: bool) -> None:
    from oms.core.backup import restore

    settings = _prepare()
    with database(settings) as url:
        check_database(url, settings.db_connect_timeout)
        tool = restore(url, file, clean=clean)
    print(f"restored {file} ({tool.path}); run `oms migrate` if it is from an older release")


def check_command(*, max_outbox_age: float) -> bool:
    """Print the report; True when nothing is a problem."""
    from oms.operations.check import Finding, run_checks

    try:
        settings = _prepare()
    except StartupError as error:
        print(Finding("settings", "problem", str(error)).line())
        return False
    with database(settings) as url:
        findings = run_checks(settings, url, max_outbox_age=max_outbox_age)
    for finding in findings:
        print(finding.line())
    problems = sum(finding.level == "problem" for finding in findings)
    warnings = sum(finding.level == "warning" for finding in findings)
    print(f"{problems} problem(s), {warnings} warning(s)")
    return problems == 0


def outbox_command(*, relay_once: bool) -> None:
    from oms.operations.backlogs import outbox_report

    settings = _prepare()
    with database(settings) as url:
        check_database(url, settings.db_connect_timeout)
        lines = asyncio.run(outbox_report(settings, url, relay_once=relay_once))
    print("\n".join(lines))


def dlq_list_command(worker: WorkerType | None, limit: int) -> None:
    from oms.operations.backlogs import delivery_line, list_dead

    settings = _prepare()
    with database(settings) as url:
        check_database(url, settings.db_connect_timeout)
        dead = asyncio.run(list_dead(url, worker, limit))
    if not dead:
        print("no dead deliveries")
    for delivery in dead:
        print(delivery_line(delivery))


def dlq_replay_command(ids: list[uuid.UUID] | None, worker: WorkerType | None) -> bool:
    """True when every delivery was queued again."""
    from oms.operations.backlogs import replay

    settings = _prepare()
    with database(settings) as url:
        check_database(url, settings.db_connect_timeout)
        results = asyncio.run(replay(url, ids, worker))
    for result in results:
        if result.refused is None:
            print(f"{result.delivery_id}  queued again")
        else:
            print(f"{result.delivery_id}  not replayed: {result.refused}")
    refused = sum(result.refused is not None for result in results)
    print(f"{len(results) - refused} queued again, {refused} refused")
    return refused == 0
