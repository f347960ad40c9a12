"""The document cache of gateway/operations.py: bounded by the bytes of text it holds (a parsed
document weighs ~55 times its text), and refusals are cached like successes (GW-1)."""

from __future__ import annotations

import functools

import pytest

from gateway import operations
from gateway.operations import DocumentRefused, Documents
from schema import build_schema
from schema.limits import check_limits

pytestmark = pytest.mark.req("GW-1")

SCHEMA = build_schema(development=False)._schema


def documents(**bounds: int) -> Documents:
    limits = functools.partial(check_limits, max_depth=12, max_cost=50_000, max_aliases=30)
    cache = Documents(limits, max_document_bytes=20_000, **bounds)
    cache.bind(SCHEMA)
    return cache


def test_refused_documents_are_parsed_once(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    real = operations.parse

    def counting(query: str, **options: object) -> object:
        calls.append(query)
        return real(query, **options)  # type: ignore[arg-type]

    monkeypatch.setattr(operations, "parse", counting)
    cache = documents()
    for _ in range(3):
        for query, code in (
            ("{ viewer ", "GRAPHQL_PARSE_FAILED"),
            ("{ nope }", "GRAPHQL_VALIDATION_FAILED"),
        ):
            with pytest.raises(DocumentRefused) as refused:
                cache.prepare(query, None)
            assert refused.value.code == code
    assert calls == ["{ viewer ", "{ nope }"]


def test_the_cache_holds_a_bounded_number_of_bytes() -> None:
    cache = documents(cache_bytes=50_000)
    queries = ["{ " + f"a{i}: __typename " * 600 + "}" for i in range(20)]  # ~10 kB each
    for query in queries:
        with pytest.raises(DocumentRefused):  # too many aliases; cached all the same
            cache.prepare(query, None)
    assert sum(len(q) for q in cache._cache) <= 50_000
    assert queries[-1] in cache._cache
    assert queries[0] not in cache._cache
