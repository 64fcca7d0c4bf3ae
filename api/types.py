"""Parameter types shared by the API's operations."""

from datetime import time
from typing import Annotated

from ninja import Field
from pydantic import WithJsonSchema

# The largest id a database row can have (a signed 64-bit integer): a larger one is a 422, not a
# database overflow (SQLite refuses to bind it; PostgreSQL's bigint cannot hold it).
MAX_ID = 2**63 - 1

ObjectId = Annotated[int, Field(ge=1, le=MAX_ID, description="The object's id.")]

# A time of day on the campaign's local clock, "HH:MM" or "HH:MM:SS", with no offset: the JSON
# Schema says exactly that (``format: time`` would demand an offset, RFC 3339).
LOCAL_TIME_PATTERN = r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$"
LocalTime = Annotated[time, WithJsonSchema({"type": "string", "pattern": LOCAL_TIME_PATTERN, "example": "09:30"})]

# The largest value an IntegerField/PositiveIntegerField column holds on every database.
MAX_INT = 2**31 - 1
