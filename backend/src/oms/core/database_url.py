"""Normalising PostgreSQL URLs to the async driver OMS uses."""

from sqlalchemy.engine import URL, make_url


def async_url(url: str | URL) -> URL:
    """The same server and database, addressed through asyncpg."""
    parsed = make_url(url) if isinstance(url, str) else url
    if parsed.drivername in ("postgresql", "postgres", "postgresql+psycopg2"):
        parsed = parsed.set(drivername="postgresql+asyncpg")
    return parsed


def describe(url: str | URL) -> str:
    """A URL safe to print: no password, and the socket dir for Unix-socket servers."""
    parsed = make_url(url) if isinstance(url, str) else url
    host = parsed.host or parsed.query.get("host") or "localhost"
    port = f":{parsed.port}" if parsed.port else ""
    return f"{host}{port}/{parsed.database or ''}"
