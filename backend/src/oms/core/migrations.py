"""Running Alembic from code: `oms migrate`, `oms run` and the tests all come through here."""

from importlib.resources import files

from alembic import command
from alembic.config import Config

from oms.core.database_url import async_url


def alembic_config(database_url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(files("oms") / "migrations"))
    config.set_main_option(
        "file_template",
        "%%(year)d%%(month).2d%%(day).2d_%%(slug)s",
    )
    config.attributes["database_url"] = str(
        async_url(database_url).render_as_string(hide_password=False)
    )
    return config


def upgrade(database_url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(database_url), revision)


def downgrade(database_url: str, revision: str) -> None:
    command.downgrade(alembic_config(database_url), revision)
