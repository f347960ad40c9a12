"""Cursor pages over SQL: ``first``/``after`` with opaque cursors, at most 100 per page."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import func
from sqlmodel import select
from sqlmodel.sql.expression import SelectOfScalar

from resolvers.core.context import RequestContext
from resolvers.core.errors import BadUserInput

T = TypeVar("T")
MAX_PAGE = 100
_PREFIX = "cursor:"


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    items: list[T]
    offset: int
    total_count: int
    has_next_page: bool

    def cursor(self, index: int) -> str:
        return encode_cursor(self.offset + index)


def encode_cursor(position: int) -> str:
    return base64.urlsafe_b64encode(f"{_PREFIX}{position}".encode()).decode()


def decode_cursor(ctx: RequestContext, cursor: str) -> int:
    try:
        text = base64.urlsafe_b64decode(cursor.encode()).decode()
        if not text.startswith(_PREFIX):
            raise ValueError(cursor)
        return int(text[len(_PREFIX) :])
    except (ValueError, UnicodeDecodeError) as error:
        raise BadUserInput("INVALID_CURSOR", ctx.locale) from error


def check_first(ctx: RequestContext, first: int) -> None:
    if not 1 <= first <= MAX_PAGE:
        raise BadUserInput("FIRST_OUT_OF_RANGE", ctx.locale)


async def paginate(
    ctx: RequestContext, statement: SelectOfScalar[Any], first: int, after: str | None
) -> Page[Any]:
    """Run ``statement`` (already filtered and ordered) for one page and count the whole."""
    check_first(ctx, first)
    offset = decode_cursor(ctx, after) + 1 if after else 0
    count_statement = select(func.count()).select_from(statement.order_by(None).subquery())
    total = (await ctx.db.exec(count_statement)).one()
    rows = list((await ctx.db.exec(statement.offset(offset).limit(first))).all())
    return Page(rows, offset, total, offset + len(rows) < total)
