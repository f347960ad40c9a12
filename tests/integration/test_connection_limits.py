"""Connection and body limits of a real server (issue 14; docs/architecture.md, "Connection and
body limits"): a chunked body over the limit is refused while it streams in, without the
server's memory growing by the body; a connection whose request head does not arrive in time
(nothing sent, or header bytes trickled) is closed, and so is an idle kept-alive connection;
an oversized head is refused."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.integration.servers import Server, migrate
from tests.integration.test_subscriptions import server_env

pytestmark = [pytest.mark.req("GW-1"), pytest.mark.slow]

MIB = 1024 * 1024
GQL = "application/graphql-response+json"
HEADER_TIMEOUT = 1.0
KEEP_ALIVE = 1


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    tmp = tmp_path_factory.mktemp("limits")
    env = server_env(
        tmp,
        GATEWAY_HEADER_TIMEOUT=str(HEADER_TIMEOUT),
        GATEWAY_KEEP_ALIVE_TIMEOUT=str(KEEP_ALIVE),
    )
    migrate(env)
    running = Server(env, tmp / "server.log")
    try:
        running.wait_ready()
        yield running
    finally:
        running.stop()


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError("no VmRSS")


class PeakRss:
    """The highest resident set size of a process while the block runs (sampled every 5 ms)."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.before = rss_kib(pid)
        self.peak = self.before
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._done.is_set():
            self.peak = max(self.peak, rss_kib(self.pid))
            time.sleep(0.005)

    def __enter__(self) -> PeakRss:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._done.set()
        self._thread.join()
        self.peak = max(self.peak, rss_kib(self.pid))

    @property
    def growth_mib(self) -> float:
        return (self.peak - self.before) / 1024


def chunked(total: int, chunk: int = MIB) -> Iterator[bytes]:
    """A body of ``total`` bytes sent in chunks (httpx sends an iterator without a length)."""
    block = b"x" * chunk
    for _ in range(total // chunk):
        yield block


@pytest.mark.parametrize(
    ("path", "headers"),
    [
        ("/graphql", {"content-type": "application/json", "accept": GQL}),
        ("/webhooks/banks/BOC", {"content-type": "application/json"}),
    ],
)
def test_a_150_mib_chunked_body_is_refused_without_the_server_holding_it(
    server: Server, path: str, headers: dict[str, str]
) -> None:
    pid = server.process.pid
    with httpx.Client(base_url=server.url, timeout=60) as client:
        # A small chunked body still works (and warms the server up before measuring).
        small = client.post(
            "/graphql",
            content=iter([b'{"query": "{ __', b'typename }"}']),
            headers={"content-type": "application/json", "accept": GQL},
        )
        assert small.status_code == 200
        assert small.json() == {"data": {"__typename": "Query"}}
        with PeakRss(pid) as rss:
            refused = client.post(path, content=chunked(150 * MIB), headers=headers)
        assert refused.status_code == 413
        print(f"{path}: RSS {rss.before / 1024:.0f} MiB, peak {rss.peak / 1024:.0f} MiB")
        # The limit is 1 MB; what the server held beyond it is a few buffers.
        assert rss.growth_mib < 16, (rss.before, rss.peak)


async def closed_after(
    server: Server, head: bytes = b"", trickle: bytes = b"", every: float = 0.1
) -> tuple[float, bytes]:
    """Open a connection, send ``head``, then ``trickle`` a byte at a time every ``every``
    seconds until the server closes it: how long it stayed open, and what the server sent."""
    reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
    opened = time.monotonic()
    writer.write(head)

    async def dribble() -> None:
        for byte in trickle:
            await asyncio.sleep(every)
            writer.write(bytes([byte]))
            await writer.drain()

    dribbling = asyncio.create_task(dribble())
    try:
        answer = await asyncio.wait_for(reader.read(), HEADER_TIMEOUT + 10)
        return time.monotonic() - opened, answer
    finally:
        dribbling.cancel()
        await asyncio.gather(dribbling, return_exceptions=True)
        writer.close()


async def test_connections_trickling_their_head_are_closed_after_the_header_timeout(
    server: Server,
) -> None:
    head = b"GET /healthz HTTP/1.1\r\nHost: gateway\r\nX-Slow: "
    trickling = [
        asyncio.create_task(closed_after(server, head, b"a" * 1000, every=0.1)) for _ in range(50)
    ]
    await asyncio.sleep(0.3)
    # Meanwhile a normal request is served.
    async with httpx.AsyncClient(base_url=server.url) as client:
        assert (await client.get("/healthz")).status_code == 200
    results = await asyncio.gather(*trickling)
    for open_for, answer in results:
        assert HEADER_TIMEOUT - 0.1 < open_for < HEADER_TIMEOUT + 1.5, open_for
        assert answer.startswith(b"HTTP/1.1 408 Request Timeout\r\n"), answer
    print(
        f"50 trickling connections closed after {min(r[0] for r in results):.2f}-"
        f"{max(r[0] for r in results):.2f} s"
    )


async def test_a_connection_that_sends_nothing_is_closed_after_the_header_timeout(
    server: Server,
) -> None:
    open_for, answer = await closed_after(server)
    assert HEADER_TIMEOUT - 0.1 < open_for < HEADER_TIMEOUT + 1.5, open_for
    assert answer == b""


async def test_a_kept_alive_connection_is_served_then_closed_when_idle(server: Server) -> None:
    request = b"GET /healthz HTTP/1.1\r\nHost: gateway\r\n\r\n"
    reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
    try:
        for _ in range(2):  # a second request on the same connection, within the timeouts
            writer.write(request)
            status = await reader.readline()
            assert status == b"HTTP/1.1 200 OK\r\n"
            assert (await reader.readuntil(b"\r\n\r\n")).count(b"\r\n") > 1
            assert await reader.readexactly(len(b'{"status":"ok"}')) == b'{"status":"ok"}'
        idle = time.monotonic()
        assert await asyncio.wait_for(reader.read(), KEEP_ALIVE + 5) == b""
        assert KEEP_ALIVE - 0.1 < time.monotonic() - idle < KEEP_ALIVE + 1.5
    finally:
        writer.close()


async def test_a_request_head_over_the_limit_is_refused(server: Server) -> None:
    head = b"GET /healthz HTTP/1.1\r\nHost: gateway\r\nX-Big: " + b"a" * (100 * 1024)
    open_for, answer = await closed_after(server, head)
    assert open_for < HEADER_TIMEOUT
    assert answer.startswith(b"HTTP/1.1 431 Request Header Fields Too Large\r\n"), answer[:100]


async def test_pipelined_requests_are_all_answered(server: Server) -> None:
    request = b"GET /healthz HTTP/1.1\r\nHost: gateway\r\n\r\n"
    reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
    try:
        writer.write(
            request * 3 + b"GET /healthz HTTP/1.1\r\nHost: gateway\r\nConnection: close\r\n\r\n"
        )
        answers = await asyncio.wait_for(reader.read(), 5)
    finally:
        writer.close()
    assert answers.count(b"HTTP/1.1 200 OK\r\n") == 4
