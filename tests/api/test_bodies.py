"""Request bodies are bounded while they are read (issue 14): a chunked body (no length) stops
being read at the first chunk past the limit and is answered 413, on ``/graphql`` (JSON and
multipart uploads) and on the webhooks; a declared length over the limit is refused unread."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from gateway.settings import Settings
from tests.support import Gateway

pytestmark = pytest.mark.req("GW-1", "GW-6")

GQL = "application/graphql-response+json"
KIB = 1024
MIB = 1024 * KIB
CHUNK = 64 * KIB
LIMIT = 1_000_000
UPLOAD_LIMIT = 3 * MIB
FILE_LIMIT = 2 * MIB
BOUNDARY = "gateway-test-boundary"


@pytest.fixture
def backend() -> str:
    return "sqlite"  # nothing here reaches the database


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.with_overrides(
        max_request_bytes=LIMIT,
        max_upload_bytes=UPLOAD_LIMIT,
        max_upload_file_bytes=FILE_LIMIT,
    )


class Body:
    """A streamed (chunked) body: ``head``, then ``count`` chunks of filler, then ``tail``;
    counts how many filler chunks the server pulled."""

    def __init__(self, count: int, head: bytes = b"", tail: bytes = b"") -> None:
        self.count, self.head, self.tail = count, head, tail
        self.pulled = 0

    @property
    def pulled_bytes(self) -> int:
        return self.pulled * CHUNK

    async def __aiter__(self) -> AsyncIterator[bytes]:
        if self.head:
            yield self.head
        for _ in range(self.count):
            self.pulled += 1
            yield b"x" * CHUNK
        if self.tail:
            yield self.tail


def multipart(count: int, file_name: str = "scan.jpg") -> Body:
    head = (
        f"--{BOUNDARY}\r\n"
        'Content-Disposition: form-data; name="operations"\r\n\r\n'
        '{"query": "mutation($f: Upload!) { x(f: $f) }", "variables": {"f": null}}\r\n'
        f"--{BOUNDARY}\r\n"
        'Content-Disposition: form-data; name="map"\r\n\r\n'
        '{"0": ["variables.f"]}\r\n'
        f"--{BOUNDARY}\r\n"
        f'Content-Disposition: form-data; name="0"; filename="{file_name}"\r\n'
        "Content-Type: image/jpeg\r\n\r\n"
    ).encode()
    return Body(count, head, f"\r\n--{BOUNDARY}--\r\n".encode())


UPLOAD_HEADERS = {
    "content-type": f"multipart/form-data; boundary={BOUNDARY}",
    "graphql-preflight": "1",
    "accept": GQL,
}


async def test_a_chunked_graphql_body_over_the_limit_is_refused_while_it_is_read(
    gateway: Gateway,
) -> None:
    body = Body(150 * MIB // CHUNK)  # 150 MiB
    response = await gateway.http.post(
        "/graphql", content=body, headers={"content-type": "application/json", "accept": GQL}
    )
    assert response.status_code == 413
    # Reading stopped at the first chunk past the limit.
    assert body.pulled == LIMIT // CHUNK + 1
    assert response.json()["errors"][0]["extensions"]["code"] == "REQUEST_TOO_LARGE"
    assert response.headers["connection"] == "close"


async def test_a_small_chunked_graphql_body_is_read(gateway: Gateway) -> None:
    async def chunks() -> AsyncIterator[bytes]:
        yield b'{"query": "{ __'
        yield b'typename }"}'

    response = await gateway.http.post(
        "/graphql", content=chunks(), headers={"content-type": "application/json", "accept": GQL}
    )
    assert response.status_code == 200
    assert response.json() == {"data": {"__typename": "Query"}}


async def test_a_declared_length_over_the_limit_is_refused_unread(gateway: Gateway) -> None:
    body = Body(150 * MIB // CHUNK)
    for path, headers in (
        ("/graphql", {"content-type": "application/json", "accept": GQL}),
        ("/graphql", UPLOAD_HEADERS),
        ("/webhooks/banks/BOC", {"content-type": "application/json"}),
    ):
        response = await gateway.http.post(
            path, content=body, headers={**headers, "content-length": str(150 * MIB)}
        )
        assert response.status_code == 413, path
        assert body.pulled == 0, path


async def test_a_chunked_upload_over_the_total_limit_is_refused_while_it_is_read(
    gateway: Gateway,
) -> None:
    # Two files, each within the per-file limit, together over the upload limit.
    head = multipart(0).head
    second = (
        f'\r\n--{BOUNDARY}\r\nContent-Disposition: form-data; name="1"; filename="b.jpg"\r\n\r\n'
    ).encode()

    class TwoFiles(Body):
        async def __aiter__(self) -> AsyncIterator[bytes]:
            yield head
            for index in range(self.count):
                if index == FILE_LIMIT // CHUNK - 1:
                    yield second
                self.pulled += 1
                yield b"x" * CHUNK

    body = TwoFiles(150 * MIB // CHUNK)
    response = await gateway.http.post("/graphql", content=body, headers=UPLOAD_HEADERS)
    assert response.status_code == 413
    assert response.json()["errors"][0]["extensions"]["code"] == "REQUEST_TOO_LARGE"
    assert response.headers["connection"] == "close"
    assert body.pulled_bytes <= UPLOAD_LIMIT + CHUNK


async def test_an_upload_file_over_the_file_limit_is_refused_while_it_is_read(
    gateway: Gateway,
) -> None:
    body = multipart(150 * MIB // CHUNK)
    response = await gateway.http.post("/graphql", content=body, headers=UPLOAD_HEADERS)
    assert response.status_code == 413
    assert response.json()["errors"][0]["extensions"]["code"] == "FILE_TOO_LARGE"
    assert body.pulled_bytes <= FILE_LIMIT + CHUNK


async def test_a_small_chunked_upload_is_read(gateway: Gateway) -> None:
    # A file within the limits reaches GraphQL: the (made-up) mutation fails validation.
    response = await gateway.http.post(
        "/graphql", content=multipart(FILE_LIMIT // CHUNK - 1), headers=UPLOAD_HEADERS
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"


async def test_a_chunked_webhook_body_over_the_limit_is_refused_while_it_is_read(
    gateway: Gateway,
) -> None:
    body = Body(150 * MIB // CHUNK)
    response = await gateway.http.post(
        "/webhooks/banks/BOC", content=body, headers={"content-type": "application/json"}
    )
    assert response.status_code == 413
    assert response.json()["error"] == "REQUEST_TOO_LARGE"
    assert response.headers["connection"] == "close"
    assert body.pulled == LIMIT // CHUNK + 1
