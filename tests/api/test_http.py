"""GraphQL over HTTP: methods, media types, status codes, limits, error masking (GW-1)."""

from __future__ import annotations

import json
import logging

import pytest

from tests.support import Gateway

pytestmark = pytest.mark.req("GW-1")

GQL = "application/graphql-response+json"


async def test_post_and_get_queries_both_work(gateway: Gateway) -> None:
    post = await gateway.http.post("/graphql", json={"query": "{ __typename }"})
    assert post.status_code == 200
    assert post.headers["content-type"].startswith("application/json")
    assert post.json() == {"data": {"__typename": "Query"}}
    get = await gateway.http.get(
        "/graphql", params={"query": "{ __typename }"}, headers={"accept": GQL}
    )
    assert get.status_code == 200
    assert get.headers["content-type"].startswith(GQL)


async def test_mutations_are_refused_over_get(gateway: Gateway) -> None:
    response = await gateway.http.get(
        "/graphql", params={"query": "mutation { captchaCreate { id } }"}
    )
    assert response.status_code == 405
    assert response.headers["allow"] == "POST"
    assert response.json()["errors"][0]["extensions"]["code"] == "MUTATION_OVER_GET"
    captchas = (await gateway.gql("{ development { captchas { id } } }"))["development"]["captchas"]
    assert captchas == []


async def test_document_errors_are_4xx_with_graphql_response_json_and_200_with_json(
    gateway: Gateway,
) -> None:
    for query, code in (
        ("{ viewer ", "GRAPHQL_PARSE_FAILED"),
        ("{ nope }", "GRAPHQL_VALIDATION_FAILED"),
    ):
        strict = await gateway.http.post("/graphql", json={"query": query}, headers={"accept": GQL})
        assert strict.status_code == 400
        assert strict.json()["errors"][0]["extensions"]["code"] == code
        assert "data" not in strict.json()
        legacy = await gateway.http.post(
            "/graphql", json={"query": query}, headers={"accept": "application/json"}
        )
        assert legacy.status_code == 200
        assert legacy.json()["errors"][0]["extensions"]["code"] == code


async def test_bad_variables_are_a_request_error(gateway: Gateway) -> None:
    query = "query($first: Int!) { institutions(first: $first) { totalCount } }"
    response = await gateway.http.post(
        "/graphql", json={"query": query, "variables": {"first": "many"}}, headers={"accept": GQL}
    )
    assert response.status_code == 400
    assert "data" not in response.json()


@pytest.mark.parametrize(
    ("content", "headers", "status", "code"),
    [
        (b"{not json", {"content-type": "application/json"}, 400, "MALFORMED_JSON"),
        (b"[1, 2]", {"content-type": "application/json"}, 400, "BAD_REQUEST"),
        (b'{"query": 5}', {"content-type": "application/json"}, 400, "BAD_REQUEST"),
        (
            b'{"query": "{ __typename }", "variables": []}',
            {"content-type": "application/json"},
            400,
            "BAD_REQUEST",
        ),
        (b"{ __typename }", {"content-type": "text/plain"}, 415, "UNSUPPORTED_MEDIA_TYPE"),
        (
            b'{"query": "{ __typename }"}',
            {"content-type": "application/json", "accept": "text/xml"},
            406,
            "NOT_ACCEPTABLE",
        ),
        (b"[" * 5000 + b"]" * 5000, {"content-type": "application/json"}, 400, "MALFORMED_JSON"),
    ],
)
async def test_malformed_requests(
    gateway: Gateway, content: bytes, headers: dict[str, str], status: int, code: str
) -> None:
    response = await gateway.http.post("/graphql", content=content, headers=headers)
    assert response.status_code == status
    assert response.json()["errors"][0]["extensions"]["code"] == code


async def test_oversized_bodies_and_documents_are_refused(gateway: Gateway) -> None:
    body = json.dumps({"query": "{ __typename }", "variables": {"x": "y" * 2_000_000}})
    response = await gateway.http.post(
        "/graphql", content=body, headers={"content-type": "application/json"}
    )
    assert response.status_code == 413
    query = "{ " + " ".join(f"a{i}: __typename" for i in range(3000)) + " }"
    response = await gateway.http.post("/graphql", json={"query": query}, headers={"accept": GQL})
    assert response.status_code == 413
    assert response.json()["errors"][0]["extensions"]["code"] == "DOCUMENT_TOO_LARGE"


def nest(levels: int, first: int) -> str:
    """enterprise { operators(first) { nodes { enterprise { ... username } } } } nested."""
    inner = "username"
    for _ in range(levels):
        inner = f"enterprise {{ operators(first: {first}) {{ nodes {{ {inner} }} }} }}"
    return inner


async def test_deep_costly_and_alias_heavy_documents_fail_validation(gateway: Gateway) -> None:
    deep = "{ viewer { ... on EnterpriseAdmin { " + nest(5, 1) + " } } }"
    costly = "{ viewer { ... on EnterpriseAdmin { " + nest(3, 100) + " } } }"
    aliases = "{ " + " ".join(f"r{i}: regions {{ code }}" for i in range(31)) + " }"
    # A mutation that would write, made too deep: refused before it runs, nothing written.
    writing = (
        'mutation { operatorCreate(input: {username: "x", name: "x", mobile: "x", '
        'idType: RESIDENT_ID, idNumber: "x"}) { operator { ' + nest(6, 1) + " } } }"
    )
    before = await gateway.snapshot()
    for query, code in (
        (deep, "QUERY_TOO_DEEP"),
        (costly, "QUERY_TOO_COSTLY"),
        (aliases, "TOO_MANY_ALIASES"),
        (writing, "QUERY_TOO_DEEP"),
    ):
        response = await gateway.http.post(
            "/graphql", json={"query": query}, headers={"accept": GQL}
        )
        assert response.status_code == 400, query
        codes = [e["extensions"]["code"] for e in response.json()["errors"]]
        assert code in codes
    assert await gateway.snapshot() == before


def nest_pages(levels: int, page: str) -> str:
    """Like :func:`nest`, with ``page`` as the arguments of ``operators`` ("" for none)."""
    inner = "username"
    for _ in range(levels):
        inner = f"enterprise {{ operators{page} {{ nodes {{ {inner} }} }} }}"
    return inner


async def test_a_connection_without_first_costs_its_default_page(gateway: Gateway) -> None:
    """An omitted ``first`` is the default page of 20, not 1: two copies of three nested
    operator lists cost about 2 x 20^3 x 3 > 50,000, whether ``first`` is 20 or left out."""

    def document(page: str) -> str:
        nested = nest_pages(3, page)
        return "{ viewer { ... on EnterpriseAdmin { a: " + nested + " b: " + nested + " } } }"

    for page in ("", "(first: 20)"):
        response = await gateway.http.post(
            "/graphql", json={"query": document(page)}, headers={"accept": GQL}
        )
        assert response.status_code == 400, page
        errors = response.json()["errors"]
        assert [e["extensions"]["code"] for e in errors] == ["QUERY_TOO_COSTLY"], errors
    cheap = await gateway.http.post(
        "/graphql", json={"query": document("(first: 1)")}, headers={"accept": GQL}
    )
    assert cheap.status_code == 200
    assert cheap.json() == {"data": {"viewer": None}}


async def test_unexpected_errors_are_masked_and_logged_with_the_request_id(
    gateway: Gateway, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from resolvers.marketplace import reference

    async def broken(*_: object) -> list[object]:
        raise RuntimeError("database password is hunter2")

    monkeypatch.setattr(reference, "regions", broken)
    with caplog.at_level(logging.ERROR, logger="gateway.graphql"):
        response = await gateway.http.post(
            "/graphql",
            json={"query": "{ regions { code } }"},
            headers={"x-request-id": "req-12345678"},
        )
    assert response.status_code == 200
    error = response.json()["errors"][0]
    assert error["message"] == "Internal server error"
    assert error["extensions"] == {"code": "INTERNAL_SERVER_ERROR", "requestId": "req-12345678"}
    assert "hunter2" not in response.text
    assert response.headers["x-request-id"] == "req-12345678"
    assert any("hunter2" in (r.exc_text or "") or r.exc_info for r in caplog.records)


async def test_malformed_global_id_is_bad_user_input(gateway: Gateway) -> None:
    response = await gateway.http.post("/graphql", json={"query": '{ node(id: "%%%") { id } }'})
    error = response.json()["errors"][0]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"


async def test_health_and_readiness(gateway: Gateway) -> None:
    assert (await gateway.http.get("/healthz")).json() == {"status": "ok"}
    ready = await gateway.http.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["checks"] == {"database": True, "broker": True}


async def test_graphiql_is_served_to_browsers_with_saved_operations(gateway: Gateway) -> None:
    page = await gateway.http.get("/graphql", headers={"accept": "text/html"})
    assert page.status_code == 200
    assert "graphiql" in page.text.lower()
    assert "sessionCreate" in page.text


async def test_reference_data_is_public(gateway: Gateway) -> None:
    data = await gateway.gql("{ regions { code } institutions(kind: INSURER) { totalCount } }")
    assert data == {"regions": [], "institutions": {"totalCount": 0}}
