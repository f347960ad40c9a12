"""Connection and body limits of a real server (issue 14; docs/architecture.md, "Connection and
body limits"): a chunked body over the limit is refused while it streams in, without the
server's memory growing by the body."""

from __future__ import annotations

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


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    tmp = tmp_path_factory.mktemp("limits")
    env = server_env(tmp)
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
