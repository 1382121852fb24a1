"""A moment a client sends (an ISO 8601 date-time), bounded to what PostgreSQL stores.

Python reads `0001-01-01T00:00:00+14:00` or `9999-12-31T23:59:59-14:00` without complaint,
but in UTC they fall in the years 0 and 10000, which the driver cannot send; they are the
client's mistake and are refused as such (400), not left to fail in the database. Pydantic
would also read a number (`0.5`) as seconds since 1970; the document says ISO 8601, so
only a string shaped like one is taken.
"""

import re
from datetime import UTC, datetime
from typing import Annotated, Any

from pydantic import AfterValidator, AwareDatetime, BeforeValidator

ISO_DATE_TIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}")


def _iso_8601(value: Any) -> Any:
    if isinstance(value, str) and not ISO_DATE_TIME.match(value):
        raise ValueError("must be an ISO 8601 date-time, e.g. 2026-12-01T09:30:00Z")
    if isinstance(value, int | float):
        raise ValueError("must be an ISO 8601 date-time string, not a number")
    return value


def _storable(moment: datetime) -> datetime:
    try:
        moment.astimezone(UTC)
    except OverflowError as error:
        raise ValueError("must lie between the years 1 and 9999 in UTC") from error
    return moment


Moment = Annotated[AwareDatetime, BeforeValidator(_iso_8601), AfterValidator(_storable)]
"""An ISO 8601 date-time with its UTC offset (a moment, not a wall-clock time somewhere),
within the years 1 to 9999 in UTC."""
