"""A moment a client sends (an ISO 8601 date-time), bounded to what PostgreSQL stores.

Python reads `0001-01-01T00:00:00+14:00` or `9999-12-31T23:59:59-14:00` without complaint,
but in UTC they fall in the years 0 and 10000, which the driver cannot send; they are the
client's mistake and are refused as such (400), not left to fail in the database.
"""

from datetime import UTC, datetime
from typing import Annotated

from pydantic import AfterValidator


def _storable(moment: datetime) -> datetime:
    try:
        moment.astimezone(UTC)
    except OverflowError as error:
        raise ValueError("must lie between the years 1 and 9999 in UTC") from error
    return moment


Moment = Annotated[datetime, AfterValidator(_storable)]
"""An ISO 8601 date-time within the years 1 to 9999 in UTC."""
