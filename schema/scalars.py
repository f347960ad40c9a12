"""Scalars with stricter parsing than strawberry's defaults.

A ``DateTime`` input must carry its UTC offset (the gateway stores instants; a naive value could
mean China time or UTC) and must exist as an instant in UTC (``9999-12-31T23:59:59-23:59`` does
not). Either is the client's fault, answered as a variable coercion error, never a server error.
"""

from __future__ import annotations

import datetime as dt

import dateutil.parser
from strawberry.schema.types.base_scalars import DateTimeDefinition, wrap_parser
from strawberry.types.scalar import ScalarDefinition


def _instant(value: str) -> dt.datetime:
    parsed = dateutil.parser.isoparse(value)
    if parsed.tzinfo is None or parsed.utcoffset() is None:
        raise ValueError("a date-time needs its UTC offset, e.g. 2026-01-15T10:30:00+08:00")
    try:
        parsed.astimezone(dt.UTC)
    except OverflowError as error:
        raise ValueError("the date-time is outside the calendar") from error
    return parsed


DATETIME = ScalarDefinition(
    name=DateTimeDefinition.name,
    description=DateTimeDefinition.description,
    specified_by_url=DateTimeDefinition.specified_by_url,
    serialize=DateTimeDefinition.serialize,
    parse_value=wrap_parser(_instant, "DateTime"),
    parse_literal=None,
    origin=dt.datetime,
)
SCALAR_OVERRIDES: dict[object, ScalarDefinition] = {dt.datetime: DATETIME}
