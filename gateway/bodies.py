"""Request bodies read within a limit, whatever the client declares.

A declared ``Content-Length`` over the limit is refused before a byte is read. A chunked body
(no length) is counted while it streams in, and reading stops at the first chunk past the limit:
the server never holds more than the limit plus one chunk of one request's body. The answer to
an unread body says ``Connection: close``, so the server does not go on reading the rest.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator

from starlette.datastructures import FormData, Headers
from starlette.formparsers import MultiPartParser
from starlette.requests import Request

# The response header that makes uvicorn close the connection after the response instead of
# reading (and discarding) what is left of the body.
CLOSE = {"Connection": "close"}


class BodyTooLarge(Exception):
    """The request's body is (or declares itself) longer than ``limit`` bytes."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"the request body exceeds {limit} bytes")
        self.limit = limit


class FileTooLarge(BodyTooLarge):
    """One file of a multipart body is longer than ``limit`` bytes."""


def declared_length(headers: Headers) -> int | None:
    """The ``Content-Length`` the client declared, if any (the HTTP parser has checked it)."""
    value = headers.get("content-length", "").strip()
    return int(value) if value.isdigit() else None


def check_declared(headers: Headers, limit: int) -> None:
    declared = declared_length(headers)
    if declared is not None and declared > limit:
        raise BodyTooLarge(limit)


async def limited_stream(request: Request, limit: int) -> AsyncGenerator[bytes, None]:
    """The body's chunks as they arrive; ``BodyTooLarge`` as soon as they pass ``limit``."""
    check_declared(request.headers, limit)
    received = 0
    async for chunk in request.stream():
        received += len(chunk)
        if received > limit:
            raise BodyTooLarge(limit)
        yield chunk


async def read_body(request: Request, limit: int) -> bytes:
    """The whole body, at most ``limit`` bytes (``BodyTooLarge`` otherwise)."""
    chunks = [chunk async for chunk in limited_stream(request, limit)]
    return b"".join(chunks)


async def read_multipart(
    request: Request,
    *,
    limit: int,
    max_file_bytes: int,
    max_files: int,
    max_fields: int,
    max_field_bytes: int,
) -> FormData:
    """A ``multipart/form-data`` body within ``limit`` bytes in all and ``max_file_bytes`` per
    file, counted as it streams in (Starlette's own parser bounds only the fields that are not
    files; files are spooled to disk past 1 MiB). The caller closes the form's files."""
    parser = _BoundedMultiPartParser(
        request.headers,
        limited_stream(request, limit),
        max_file_bytes=max_file_bytes,
        max_files=max_files,
        max_fields=max_fields,
        max_part_size=max_field_bytes,
    )
    return await parser.parse()


class _BoundedMultiPartParser(MultiPartParser):
    def __init__(
        self,
        headers: Headers,
        stream: AsyncGenerator[bytes, None],
        *,
        max_file_bytes: int,
        max_files: int,
        max_fields: int,
        max_part_size: int,
    ) -> None:
        super().__init__(
            headers,
            stream,
            max_files=max_files,
            max_fields=max_fields,
            max_part_size=max_part_size,
        )
        self.max_file_bytes = max_file_bytes
        self._file_bytes = 0

    def on_part_begin(self) -> None:
        super().on_part_begin()
        self._file_bytes = 0

    def on_part_data(self, data: bytes, start: int, end: int) -> None:
        if self._current_part.file is not None:
            self._file_bytes += end - start
            if self._file_bytes > self.max_file_bytes:
                raise FileTooLarge(self.max_file_bytes)
        super().on_part_data(data, start, end)
