"""What the CLI commands do, kept apart from argument parsing so tests can call them."""

import asyncio

import structlog

from oms.app import create_app
from oms.core import migrations
from oms.core.logging import configure_logging
from oms.core.runtime import check_database, database, load_settings
from oms.core.server import serve
from oms.core.settings import Settings
from oms.outbox.events import WorkerType
from oms.pipeline import run_pipeline_in_app
from oms.seed import seed_demo

log = structlog.get_logger("oms")


def _prepare() -> Settings:
    settings = load_settings()
    configure_logging(settings.log_level, settings.log_format)
    return settings


def run_all_in_one(*, seed_demo: bool) -> None:
    settings = _prepare()
    with database(settings) as url:
        check_database(url, settings.db_connect_timeout)
        migrations.upgrade(url)
        if seed_demo:
            asyncio.run(_seed(url))
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
    settings = _prepare()
    with database(settings) as url:
        check_database(url, settings.db_connect_timeout)
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


def run_relay() -> None:
    from oms.pipeline import run_standalone

    settings = _prepare()
    run_standalone(settings, relay=True, workers=())


def run_worker(worker: WorkerType, concurrency: int) -> None:
    from oms.pipeline import run_standalone

    settings = _prepare()
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


def create_user_command(*, email: str, roles: list[str], full_name: str, password: str) -> None:
    from oms.auth.cli import NewUser, create_user_from_cli

    new_user = NewUser.checked(email=email, roles=roles, full_name=full_name, password=password)
    settings = _prepare()
    with database(settings) as url:
        check_database(url, settings.db_connect_timeout)
        user_id = asyncio.run(create_user_from_cli(url, new_user))
    roles_text = ", ".join(sorted(new_user.roles))
    print(f"created user {new_user.email} ({user_id}) with roles {roles_text}")
