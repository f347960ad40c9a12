"""Persisted queries of the known front-ends (GW-4): a hash stands for a registered document."""

from __future__ import annotations

import pytest
from graphql import parse

from gateway.persisted import digest, operations
from tests.benchmarks.workloads import CREDIT_ORDER_PAGE
from tests.support import Gateway

pytestmark = pytest.mark.req("GW-4")


def persisted_text(query: str) -> str:
    [text] = list(operations(parse(query)))
    return text


async def test_gw4_a_known_hash_runs_the_registered_document(gateway: Gateway) -> None:
    await gateway.register_enterprise(1)
    query = persisted_text(
        'query Suggest { registrySuggestions(name: "长沙博远") { name uscc address } }'
    )
    hashed = {"extensions": {"persistedQuery": {"version": 1, "sha256Hash": digest(query)}}}
    headers = {"accept": "application/graphql-response+json"}
    by_hash = await gateway.http.post("/graphql", json=hashed, headers=headers)
    in_full = await gateway.http.post("/graphql", json={"query": query}, headers=headers)
    assert by_hash.status_code == 200
    assert by_hash.content == in_full.content
    assert by_hash.json()["data"]["registrySuggestions"][0]["name"] == "长沙博远发制品有限公司"
    # Over GET as well (Apollo's APQ link sends the extensions as a query parameter).
    import json

    got = await gateway.http.get(
        "/graphql", params={"extensions": json.dumps(hashed["extensions"])}, headers=headers
    )
    assert got.content == in_full.content


async def test_gw4_the_portal_page_is_persisted(gateway: Gateway) -> None:
    assert gateway.app is not None
    text = persisted_text(CREDIT_ORDER_PAGE)
    registry = gateway.app.state.persisted
    assert registry.lookup(digest(text)) is not None


async def test_gw4_unknown_and_mismatched_hashes_are_refused(gateway: Gateway) -> None:
    headers = {"accept": "application/graphql-response+json"}
    unknown = {"extensions": {"persistedQuery": {"version": 1, "sha256Hash": "0" * 64}}}
    response = await gateway.http.post("/graphql", json=unknown, headers=headers)
    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"
    mismatch = {"query": "{ regions { code } }", **unknown}
    response = await gateway.http.post("/graphql", json=mismatch, headers=headers)
    assert response.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_HASH_MISMATCH"
