"""The HTTP server: uvicorn with the gateway's connection limits (docs/architecture.md,
"Connection and body limits").

uvicorn closes a keep-alive connection that stays idle ``timeout_keep_alive`` seconds after a
response, but it has no timeout for a request head: a client that connects and sends nothing, or
trickles header bytes, holds its connection (and a file descriptor) forever. And its httptools
parser has no size limit for a head (h11's ``h11_max_incomplete_event_size`` is h11's only): a
100 MiB header line is kept in memory. ``HeadLimitedProtocol`` is uvicorn's httptools protocol
with both limits added:

- a request head must be complete within ``header_timeout`` seconds, counted from the connection
  (the first request) or from the head's first byte (the next ones on a kept-alive connection);
  past it the connection is closed, with ``408`` if any of the head had come;
- a head longer than ``max_head_bytes`` is answered ``431`` and the connection closed.

WebSocket connections are the same until their upgrade request's head is complete.
"""

from __future__ import annotations

import asyncio
import logging
from http import HTTPStatus
from typing import Any, cast

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from gateway.settings import Settings

log = logging.getLogger("gateway.http")


class HeadLimitedProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol, with a deadline and a size limit for each request head."""

    header_timeout: float = 10.0
    max_head_bytes: int = 64 * 1024

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._head_timer: asyncio.TimerHandle | None = None
        self._in_head = False  # waiting for (the rest of) a request head
        self._head_started = False  # a byte of that head has come
        self._head_bytes = 0
        self._heads = 0  # heads begun after the connection's first one

    @classmethod
    def configured(cls, header_timeout: float, max_head_bytes: int) -> type[HeadLimitedProtocol]:
        """This protocol with other limits (uvicorn makes one instance per connection)."""
        limits = {"header_timeout": header_timeout, "max_head_bytes": max_head_bytes}
        return cast(type[HeadLimitedProtocol], type(cls.__name__, (cls,), limits))

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._await_head()

    def connection_lost(self, exc: Exception | None) -> None:
        self._stop_head_timer()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        in_head, heads = self._in_head, self._heads
        super().data_received(data)
        # All of ``data`` is head if a head was awaited before it, is still awaited after it and
        # no other began in it. (A head that begins in the middle of a read, after a pipelined
        # request, is counted from the next read on: at most one read more than the limit.)
        if in_head and self._in_head and heads == self._heads:
            self._head_bytes += len(data)
            if self._head_bytes > self.max_head_bytes and not self.transport.is_closing():
                log.warning("request head too large", extra={"client": _client(self.client)})
                self._refuse(
                    HTTPStatus.REQUEST_HEADER_FIELDS_TOO_LARGE,
                    f"The request head exceeds {self.max_head_bytes} bytes.",
                )

    # Parser callbacks
    def on_message_begin(self) -> None:
        super().on_message_begin()
        if not self._in_head:  # a further request on a kept-alive connection
            self._heads += 1
            self._await_head()
        self._head_started = True

    def on_headers_complete(self) -> None:
        self._in_head = False
        self._stop_head_timer()
        super().on_headers_complete()

    # The deadline
    def _await_head(self) -> None:
        self._in_head = True
        self._head_started = False
        self._head_bytes = 0
        if self._head_timer is None:
            self._head_timer = self.loop.call_later(self.header_timeout, self._head_timed_out)

    def _stop_head_timer(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None

    def _head_timed_out(self) -> None:
        self._head_timer = None
        if self.transport.is_closing() or not self._in_head:
            return
        if self.cycle is not None and not self.cycle.response_complete:
            # A pipelined head waits behind a response still being made: give it time again.
            self._head_timer = self.loop.call_later(self.header_timeout, self._head_timed_out)
            return
        log.info(
            "request head not received in time",
            extra={"client": _client(self.client), "started": self._head_started},
        )
        if self._head_started:
            self._refuse(
                HTTPStatus.REQUEST_TIMEOUT,
                f"The request head did not arrive within {self.header_timeout:g} s.",
            )
        else:
            self.transport.close()

    def _refuse(self, status: HTTPStatus, message: str) -> None:
        body = message.encode()
        lines = [f"HTTP/1.1 {status.value} {status.phrase}".encode()]
        lines += [name + b": " + value for name, value in self.server_state.default_headers]
        lines += [
            b"content-type: text/plain; charset=utf-8",
            b"content-length: " + str(len(body)).encode(),
            b"connection: close",
        ]
        self.transport.write(b"\r\n".join(lines) + b"\r\n\r\n" + body)
        self.transport.close()


def _client(client: tuple[str, int] | None) -> str:
    return f"{client[0]}:{client[1]}" if client else "-"


def uvicorn_options(settings: Settings) -> dict[str, Any]:
    """The protocols and connection limits ``uvicorn.run`` is given (``gateway serve``, the
    benchmark server)."""
    return {
        "http": HeadLimitedProtocol.configured(
            settings.header_timeout_seconds, settings.max_head_bytes
        ),
        "ws": "websockets-sansio",
        # A WebSocket message is bounded like an HTTP body (a bigger one closes the socket, 1009).
        "ws_max_size": settings.max_request_bytes,
        "timeout_keep_alive": settings.keep_alive_timeout_seconds,
        "limit_concurrency": settings.max_connections or None,
    }
