"""The `oms` command."""

import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Annotated, ParamSpec, TypeVar

import typer

from oms import __version__
from oms.core.startup_errors import StartupError
from oms.outbox.events import WorkerType

P = ParamSpec("P")
R = TypeVar("R")

app = typer.Typer(
    name="oms",
    help="OMS, a white-label order management system.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _reports_startup_errors(command: Callable[P, R]) -> Callable[P, R]:
    """A problem in the environment is one line on stderr and exit code 1, not a traceback."""

    @wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except StartupError as error:
            typer.echo(f"oms: error: {error}", err=True)
            raise typer.Exit(code=1) from None

    return wrapper


def _show_version(value: bool) -> None:
    if value:
        typer.echo(f"oms {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_show_version, is_eager=True, help="Print the version."),
    ] = False,
) -> None:
    """OMS, a white-label order management system."""
    _check_multiprocess_dir()


def _check_multiprocess_dir() -> None:
    """prometheus-client writes there from the first metric on: a missing one is said here,
    not as a traceback from an import."""
    import os

    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if directory and not os.path.isdir(directory):
        typer.echo(f"oms: error: PROMETHEUS_MULTIPROC_DIR {directory} is not a directory", err=True)
        raise typer.Exit(code=1)


@app.command()
@_reports_startup_errors
def run(
    seed_demo: Annotated[
        bool, typer.Option("--seed-demo", help="Create the demo data if it is not there yet.")
    ] = False,
) -> None:
    """Everything in one process: migrate, then serve the API (and background work).

    With no OMS_DATABASE_URL, an embedded PostgreSQL in OMS_DATA_DIR is started and stopped
    with it.
    """
    from oms.commands import run_all_in_one

    run_all_in_one(seed_demo=seed_demo)


@app.command()
@_reports_startup_errors
def api() -> None:
    """Serve the API only (for replicas behind a load balancer); run `oms migrate` first."""
    from oms.commands import run_api

    run_api()


@app.command()
@_reports_startup_errors
def migrate(
    revision: Annotated[str, typer.Option(help="Target revision.")] = "heads",
) -> None:
    """Apply database migrations up to REVISION (default: the latest)."""
    from oms.commands import run_migrations

    run_migrations(revision)


@app.command()
@_reports_startup_errors
def seed(
    demo: Annotated[bool, typer.Option("--demo", help="Create the demo data.")] = False,
) -> None:
    """Create data: `--demo` adds the demo users, catalogue and workflow where missing."""
    if not demo:
        typer.echo("oms: error: say what to seed, e.g. `oms seed --demo`", err=True)
        raise typer.Exit(code=2)
    from oms.commands import run_seed_demo

    run_seed_demo()


@app.command()
@_reports_startup_errors
def relay() -> None:
    """Publish outbox events to the broker (or the embedded queue) until stopped.

    Several may run at once. Needs OMS_DATABASE_URL.
    """
    from oms.commands import run_relay

    run_relay()


@app.command()
@_reports_startup_errors
def worker(
    kind: Annotated[WorkerType, typer.Argument(help="Which worker to run.")],
    concurrency: Annotated[
        int, typer.Option(min=1, max=64, help="Messages handled at the same time.")
    ] = 8,
) -> None:
    """Run one worker (email, webhook or inventory) until stopped; N instances may run."""
    from oms.commands import run_worker

    run_worker(kind, concurrency)


@app.command()
def asyncapi(
    output: Annotated[
        str | None, typer.Option("--output", "-o", help="File to write; default stdout.")
    ] = None,
) -> None:
    """Print (or write) the AsyncAPI document of OMS's events."""
    from oms.commands import write_asyncapi

    write_asyncapi(output)


@app.command()
def openapi(
    output: Annotated[
        str | None, typer.Option("--output", "-o", help="File to write; default stdout.")
    ] = None,
) -> None:
    """Print (or write) the OpenAPI document of OMS's HTTP API (what the apps' client is
    generated from)."""
    from oms.commands import write_openapi

    write_openapi(output)


@app.command()
@_reports_startup_errors
def backup(
    file: Annotated[Path, typer.Argument(help="The archive to write (pg_dump custom format).")],
) -> None:
    """Write the whole database (the embedded one too) to FILE with pg_dump."""
    from oms.commands import backup_command

    backup_command(file)


@app.command()
@_reports_startup_errors
def restore(
    file: Annotated[Path, typer.Argument(help="An archive `oms backup` wrote.")],
    clean: Annotated[
        bool,
        typer.Option(
            "--clean", "--force", help="Replace what the database holds instead of refusing."
        ),
    ] = False,
) -> None:
    """Load FILE into the database, in one transaction; a database that is not empty is
    refused unless --clean. Stop the API, relay and workers first."""
    from oms.commands import restore_command

    restore_command(file, clean=clean)


@app.command()
@_reports_startup_errors
def check(
    max_outbox_age: Annotated[
        float,
        typer.Option(
            min=0, help="Seconds the oldest unpublished event may wait before it is a problem."
        ),
    ] = 300.0,
) -> None:
    """Check settings, PostgreSQL, RabbitMQ and SMTP (when configured), migrations and the
    backlogs; exit 1 on any problem."""
    from oms.commands import check_command

    if not check_command(max_outbox_age=max_outbox_age):
        raise typer.Exit(code=1)


@app.command()
@_reports_startup_errors
def outbox(
    relay_once: Annotated[
        bool,
        typer.Option(
            "--relay-once", help="Publish the backlog now, as a relay would, then show it."
        ),
    ] = False,
) -> None:
    """Show the events waiting in the outbox: how many, the oldest, per type."""
    from oms.commands import outbox_command

    outbox_command(relay_once=relay_once)


dlq_app = typer.Typer(
    help="Dead deliveries (retries used up): list them, replay them.",
    invoke_without_command=True,
)
app.add_typer(dlq_app, name="dlq")


@dlq_app.callback()
@_reports_startup_errors
def dlq(
    context: typer.Context,
    worker: Annotated[WorkerType | None, typer.Option(help="Only this worker's.")] = None,
    limit: Annotated[int, typer.Option(min=1, max=10_000, help="At most this many.")] = 50,
) -> None:
    """List dead deliveries, newest first (`oms dlq replay` sends them again)."""
    if context.invoked_subcommand is not None:
        return
    from oms.commands import dlq_list_command

    dlq_list_command(worker, limit)


@dlq_app.command("replay")
@_reports_startup_errors
def dlq_replay(
    delivery_ids: Annotated[
        list[str] | None, typer.Argument(help="Delivery ids (from `oms dlq`).", show_default=False)
    ] = None,
    all_dead: Annotated[bool, typer.Option("--all", help="Every dead delivery.")] = False,
    worker: Annotated[
        WorkerType | None, typer.Option(help="With --all: only this worker's.")
    ] = None,
) -> None:
    """Queue dead deliveries again through the outbox, as the API's replay does."""
    import uuid

    from oms.commands import dlq_replay_command

    if all_dead == bool(delivery_ids):
        typer.echo("oms: error: name delivery ids or pass --all (not both)", err=True)
        raise typer.Exit(code=2)
    ids: list[uuid.UUID] | None = None
    if delivery_ids:
        try:
            ids = [uuid.UUID(item) for item in delivery_ids]
        except ValueError:
            typer.echo("oms: error: a delivery id is a UUID, as `oms dlq` lists them", err=True)
            raise typer.Exit(code=2) from None
    if not dlq_replay_command(ids, worker):
        raise typer.Exit(code=1)


config_app = typer.Typer(
    help="The white-label configuration as one YAML document (docs/configuration.md).",
    no_args_is_help=True,
)
app.add_typer(config_app, name="config")


@config_app.command("export")
@_reports_startup_errors
def config_export(
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="File to write, images beside it; default stdout."),
    ] = None,
) -> None:
    """Write OMS's configuration as a document; secrets as ${ENV_VAR} references."""
    from oms.commands import export_config_command

    export_config_command(output)


@config_app.command("import")
@_reports_startup_errors
def config_import(
    file: Annotated[Path, typer.Argument(help="The document; `file:` images are beside it.")],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Check it and show the changes; change nothing.")
    ] = False,
) -> None:
    """Make OMS's configuration what FILE says, in one transaction, printing each change."""
    from oms.commands import import_config_command
    from oms.configuration.files import ConfigurationRefused

    try:
        import_config_command(file, dry_run=dry_run)
    except ConfigurationRefused as error:
        typer.echo(f"oms: error: {file} is refused, nothing was changed; {error}", err=True)
        raise typer.Exit(code=1) from None


@config_app.command("schema")
def config_schema(
    output: Annotated[
        str | None, typer.Option("--output", "-o", help="File to write; default stdout.")
    ] = None,
) -> None:
    """Print (or write) the JSON Schema of the configuration document."""
    from oms.commands import write_config_schema

    write_config_schema(output)


user_app = typer.Typer(help="Manage users of OMS's built-in sign-in.", no_args_is_help=True)
app.add_typer(user_app, name="user")


@user_app.command("create")
@_reports_startup_errors
def user_create(
    email: Annotated[str, typer.Option("--email", help="The user's email (their login).")],
    role: Annotated[
        list[str], typer.Option("--role", help="admin, manager or customer; may be repeated.")
    ],
    full_name: Annotated[str, typer.Option("--full-name", help="Shown in OMS.")] = "",
    password_stdin: Annotated[
        bool,
        typer.Option("--password-stdin", help="Read the password from standard input."),
    ] = False,
) -> None:
    """Create a user; the password is asked for (or read from stdin), never an argument."""
    from oms.commands import create_user_command

    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    create_user_command(email=email, roles=role, full_name=full_name, password=password)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(app())
